#!/usr/bin/python3
"""Optuna's side of the SQLite storage round-trip tests (tests/tune/storage_sqlite_optuna_test.cpp).

Run with Debian's /usr/bin/python3 (python3-optuna 3.1). Modes:

  dump URL STUDY            print Optuna's view of a study as JSON
  create URL STUDY          write a reference study with Optuna (every trial state, every
                            distribution, intermediate values, attributes), then dump it
  append URL STUDY N        Optuna asks/tells N more trials (TPE, so it reads the history),
                            then dump
  csv URL STUDY             print study.trials_dataframe().to_csv(index=False)
  pg_ddl                    print the DDL SQLAlchemy emits for Optuna's models on PostgreSQL
                            (no server or driver needed), for psql
  schema DB                 compare DB's sqlite_master and version rows with a storage
                            Optuna creates itself; exit 1 with a diff if they differ

JSON output uses Python's json (Infinity/NaN literals for non-finite floats).
"""

import json
import math
import os
import sqlite3
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")
import optuna  # noqa: E402
from optuna.distributions import (  # noqa: E402
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
    distribution_to_json,
)
from optuna.trial import TrialState  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)


def trial_json(t):
    return {
        "number": t.number,
        "state": t.state.name,
        "value": t.value,
        "params": t.params,
        "distributions": {k: json.loads(distribution_to_json(d)) for k, d in t.distributions.items()},
        "intermediate_values": {str(k): v for k, v in t.intermediate_values.items()},
        "user_attrs": t.user_attrs,
        "system_attrs": t.system_attrs,
        "has_datetime_start": t.datetime_start is not None,
        "has_datetime_complete": t.datetime_complete is not None,
    }


def dump(url, name):
    study = optuna.load_study(study_name=name, storage=url)
    trials = study.get_trials(deepcopy=False)
    try:
        best = study.best_trial
        best_json = {"number": best.number, "value": best.value, "params": best.params}
    except ValueError:
        best_json = None
    out = {
        "direction": study.direction.name,
        "n_trials": len(trials),
        "trials": [trial_json(t) for t in trials],
        "best": best_json,
        "user_attrs": study.user_attrs,
        "dataframe_columns": list(study.trials_dataframe().columns),
    }
    print(json.dumps(out))


SPACE = {
    "f": FloatDistribution(0.0, 1.0),
    "fl": FloatDistribution(1e-5, 1.0, log=True),
    "fs": FloatDistribution(0.0, 1.0, step=0.1),
    "i": IntDistribution(1, 10),
    "il": IntDistribution(1, 100, log=True),
    "is": IntDistribution(0, 10, step=2),
    "c": CategoricalDistribution(["a", 1, 2.5, None, True]),
}


def create(url, name):
    study = optuna.create_study(storage=url, study_name=name, direction="maximize",
                                sampler=optuna.samplers.RandomSampler(seed=1))
    study.set_user_attr("owner", {"team": "pelagos", "n": [1, 2]})
    # COMPLETE, with every distribution, intermediate values (finite, inf, nan) and attributes.
    for value in (0.5, 0.75):
        t = study.ask(SPACE)
        t.report(0.1, 0)
        t.report(float("inf"), 1)
        t.report(float("nan"), 2)
        t.set_user_attr("note", ["x", 1])
        study.tell(t, value)
    t = study.ask(SPACE)
    study.tell(t, state=TrialState.FAIL)
    t = study.ask(SPACE)
    t.report(0.3, 4)
    study.tell(t, state=TrialState.PRUNED)
    t = study.ask(SPACE)
    study.tell(t, float("-inf"))
    study.ask(SPACE)  # left RUNNING
    study.enqueue_trial({"f": 0.25, "c": "a"})
    dump(url, name)


def append(url, name, n):
    study = optuna.load_study(study_name=name, storage=url, sampler=optuna.samplers.TPESampler(seed=3))
    for _ in range(n):
        t = study.ask(SPACE)
        study.tell(t, t.params["f"])
    dump(url, name)


def schema_rows(path):
    con = sqlite3.connect(path)
    rows = {
        "master": sorted(con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
                         key=lambda r: (r[0], r[1])),
        "version_info": con.execute("SELECT * FROM version_info").fetchall(),
        "alembic_version": con.execute("SELECT * FROM alembic_version").fetchall(),
    }
    con.close()
    return rows


def schema(path):
    with tempfile.TemporaryDirectory() as tmp:
        ref = os.path.join(tmp, "optuna.db")
        optuna.storages.RDBStorage("sqlite:///" + ref)
        want = schema_rows(ref)
    got = schema_rows(path)
    ok = True
    for key in want:
        if want[key] != got[key]:
            ok = False
            missing = [r for r in want[key] if r not in got[key]]
            extra = [r for r in got[key] if r not in want[key]]
            print(f"{key} differs:\n  missing: {missing}\n  extra: {extra}")
    print("schema identical" if ok else "schema differs")
    return 0 if ok else 1


def pg_ddl():
    from optuna.storages._rdb import models
    from sqlalchemy import create_mock_engine

    def emit(ddl, *args, **kwargs):
        print(str(ddl.compile(dialect=engine.dialect)).strip() + ";")

    engine = create_mock_engine("postgresql://", emit)
    models.BaseModel.metadata.create_all(engine, checkfirst=False)
    # What alembic's stamp adds.
    print("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
          "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));")


def main(argv):
    mode = argv[1]
    if mode == "dump":
        dump(argv[2], argv[3])
    elif mode == "create":
        create(argv[2], argv[3])
    elif mode == "append":
        append(argv[2], argv[3], int(argv[4]))
    elif mode == "csv":
        study = optuna.load_study(study_name=argv[3], storage=argv[2])
        sys.stdout.write(study.trials_dataframe().to_csv(index=False))
    elif mode == "schema":
        return schema(argv[2])
    elif mode == "pg_ddl":
        pg_ddl()
    else:
        print(f"unknown mode {mode}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
