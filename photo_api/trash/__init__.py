"""Trash: trashing files, the trash diff, restoring, deleting for good."""
