"""Users, roles held at a unit (reaching its subtree), API tokens and the one permission policy."""
