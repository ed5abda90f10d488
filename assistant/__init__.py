"""The assistant's domain: chunks, embeddings, the vector store and (later) answering."""
