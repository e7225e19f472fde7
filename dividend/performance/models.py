"""Mission performance: CPAS-style indicators with periodic values and the secondees' contributions; the integrated border management needs-assessment baseline and progress against it."""
