from jntp.services import model_create, model_update
from matching.models import ExportEvent


def event_create(*, data: dict, by) -> ExportEvent:
    return model_create(ExportEvent, data=data, by=by)


def event_update(*, event: ExportEvent, data: dict, expected_version: int, by) -> ExportEvent:
    return model_update(event, data=data, expected_version=expected_version, by=by)
