"""semcore"""
