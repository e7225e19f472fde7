"""What the priorities app keeps between requests: uploaded datasets' tables and checked model texts,
and that a change of the datasets is seen at once."""

import pytest

from dividend.priorities import services
from dividend.priorities.engine import ModelFileError

from .conftest import SMALL_MODEL

pytestmark = pytest.mark.django_db

USING_LATER = SMALL_MODEL.replace(
    "{id: law, label: Law enforcement, dataset: goci, column: Law enforcement,",
    "{id: law, label: Later data, dataset: later, column: value, year: 2023,")


def test_a_model_naming_a_dataset_becomes_valid_when_it_is_uploaded(policy):
    with pytest.raises(ModelFileError) as caught:
        services.validate_model_text(USING_LATER)
    assert [p.message.split(";")[0] for p in caught.value.errors] == ["unknown dataset 'later'"]
    with pytest.raises(ModelFileError):  # the same answer from the cache
        services.validate_model_text(USING_LATER)
    services.upload_dataset(actor=policy, name="later", rows=[["COL", 2023, 1.0]])
    assert services.validate_model_text(USING_LATER).theme_weights == {"trafficking_in_human_beings": 2, "drugs": 1}


def test_a_dataset_table_is_read_once_and_again_after_a_new_upload(policy, django_assert_num_queries):
    services.upload_dataset(actor=policy, name="cases", rows=[["COL", 2023, 4.0], ["MEX", 2023, 2.0]])
    first = services.build_library().table("cases", "value", None)
    with django_assert_num_queries(1):  # the datasets' names and upload times; no rows
        again = services.build_library().table("cases", "value", None)
    assert (again is first, list(first.countries), first.values.tolist()) == (True, ["COL", "MEX"], [[4.0], [2.0]])
    services.upload_dataset(actor=policy, name="cases", rows=[["COL", 2023, 5.0]])
    changed = services.build_library().table("cases", "value", None)
    assert (changed is first, changed.values.tolist(), changed.values.flags.writeable) == (False, [[5.0]], False)


def test_checking_a_model_reads_no_dataset_rows(policy, django_assert_num_queries):
    services.upload_dataset(actor=policy, name="later", rows=[["COL", 2023, 1.0]])
    services._DATASET_TABLES.clear()
    services._CHECKED.clear()
    services.validate_model_text(USING_LATER)
    assert services._DATASET_TABLES == {}
