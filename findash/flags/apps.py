from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "findash.flags"
    label = "flags"

    def ready(self) -> None:
        from findash.flags.openfeature_provider import provider_register

        provider_register()
