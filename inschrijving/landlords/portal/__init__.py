"""The landlord portal: the moments and dossiers that chose a landlord, its downloads and its status reports."""
