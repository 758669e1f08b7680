"""Test doubles: real loopback servers standing in for external services, and test data."""
