"""Copies held for pickup and books ordered for customers."""
