"""Settings classes, read from the environment. No logic beyond defaults."""
from config.settings import Config, DevelopmentConfig, ProductionConfig, TestingConfig

CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> type[Config]:
    """Return the settings class for ``name`` (default: development)."""
    return CONFIGS[name or "development"]
