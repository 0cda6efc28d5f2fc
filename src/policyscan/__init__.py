"""policyscan: targets, agencies and deadlines in Chinese policy documents.

    from policyscan import Analyzer
    report = Analyzer().analyze("plan.txt")
"""

__version__ = "0.1.0"

__all__ = ["Analyzer", "Report", "Ok", "Err", "__version__"]


def __getattr__(name: str) -> object:
    # imported on first use, so that `import policyscan` stays cheap
    if name == "Analyzer":
        from policyscan.analyzer import Analyzer

        return Analyzer
    if name in ("Report", "Ok", "Err"):
        from policyscan import model

        return getattr(model, name)
    raise AttributeError(f"module 'policyscan' has no attribute {name!r}")
