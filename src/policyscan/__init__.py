"""policyscan: targets, agencies and deadlines in Chinese policy documents."""

__version__ = "0.1.0"
