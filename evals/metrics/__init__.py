"""One module per metric; each is a pure function of a case and a prediction."""
