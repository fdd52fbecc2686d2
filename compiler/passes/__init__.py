"""The compiler passes, in the order they run. Each takes a Unit and returns False to stop."""
