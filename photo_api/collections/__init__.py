"""Collections (albums) and the files in them: create, list, diff, add, move, remove, delete."""
