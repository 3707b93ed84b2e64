"""File data: ML embeddings and video/image previews derived from a file."""
