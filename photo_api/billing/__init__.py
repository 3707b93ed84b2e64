"""Billing as a self-hosted museum answers it: a free plan, nothing for sale, no Stripe."""
