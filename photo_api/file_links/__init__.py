"""Public links to single files: the owner's settings and what the link's visitors see."""
