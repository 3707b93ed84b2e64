"""Family plans: one admin's storage shared by up to six members."""
