"""The PostgreSQL backend with bounded connects (base.py)."""
