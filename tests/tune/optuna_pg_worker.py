#!/usr/bin/python3
"""A Python Optuna worker on a study that pelagos workers share
(tests/tune/storage_postgres_test.cpp). Debian's /usr/bin/python3 with
python3-optuna 3.1 and python3-psycopg2.

  optuna_pg_worker.py URL STUDY N BUDGET READY_FILE

Asks/tells up to N trials of x in [0, 1] (objective (x - 0.3)^2, user attr
worker=python) while the study holds fewer than BUDGET started trials, then
creates READY_FILE after its first trial, and
prints JSON: {"told": [[number, value], ...], "seen_others": K} where K counts
the trials it can see that other workers made.
"""

import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)
url, name, n, budget, ready = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
study = optuna.load_study(study_name=name, storage=url)
started = (
    optuna.trial.TrialState.RUNNING,
    optuna.trial.TrialState.COMPLETE,
    optuna.trial.TrialState.PRUNED,
    optuna.trial.TrialState.FAIL,
)
told = []
for _ in range(n):
    if len(study.get_trials(deepcopy=False, states=started)) >= budget:
        break
    trial = study.ask()
    x = trial.suggest_float("x", 0.0, 1.0)
    trial.set_user_attr("worker", "python")
    time.sleep(0.1)
    value = (x - 0.3) ** 2
    study.tell(trial, value)
    told.append([trial.number, value])
    if len(told) == 1:
        open(ready, "w").close()
others = sum(1 for t in study.get_trials(deepcopy=False) if t.user_attrs.get("worker") != "python")
print(json.dumps({"told": told, "seen_others": others}))
