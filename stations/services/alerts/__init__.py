"""Weather alerts (issue 24): staff-entered or pushed as signed CAP 1.2, stations' alert modes, the dashboard list."""
