"""Each user's desk ("Việc của tôi"): what they owe, what waits for them (issue 15)."""
