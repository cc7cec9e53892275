"""The portal's rules: reads and downloads recorded, status reports, packets and exports."""
