"""Finding passages: the embedder, the Chroma store, the keyword index, hybrid fusion with the language quota."""
