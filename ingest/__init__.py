"""Ingestion: corpus files → cleaned, structured chunks → embedded into the vector store."""
