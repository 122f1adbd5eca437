"""Platform accounts: registration, lifecycle, grading and transfers (PA2017-7, PA2020-7/10/11/15)."""
