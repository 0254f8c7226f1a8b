"""The terminal front end of `python -m bot sandbox`: kindred against :mod:`fakediscord`, in one process."""
