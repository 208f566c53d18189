"""What people read and print: the worker map page and the unified sign plate."""
