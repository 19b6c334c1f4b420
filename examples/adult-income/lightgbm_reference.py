"""LightGBM (Python) on the same split as run.sh, for the README's reference figures.

Reads the training sets run.sh built (WORK/data/train.parquet and test.parquet: the same rows and
columns Larder trained and scored on), trains with the parameters `larder track run` resolves by
default (binary objective, 100 rounds, learning rate 0.1, 31 leaves, seed 42; text columns as
pandas categories, so LightGBM treats them as categorical features), and prints test accuracy
and AUC; when run.sh's Larder predictions (WORK/data/test_predictions.csv) are there, also how far
LightGBM's probabilities are from Larder's, row by row. Needs lightgbm, pandas, pyarrow and scikit-learn; it is not part of run.sh.
Usage: python lightgbm_reference.py WORK_DIR
"""
import os
import sys

import lightgbm as lgb
import pandas as pd
from sklearn.metrics import accuracy_score, roc_auc_score

FEATURES = ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation",
            "relationship", "race", "sex", "capital_gain", "capital_loss", "hours_per_week", "native_country"]
LABEL, POSITIVE = "income_band", "over_50K"

work = sys.argv[1] if len(sys.argv) > 1 else ".larder-adult"
train = pd.read_parquet(f"{work}/data/train.parquet")
test = pd.read_parquet(f"{work}/data/test.parquet")
for column in FEATURES:
    if train[column].dtype == object or pd.api.types.is_string_dtype(train[column]):
        # Categories from the training rows only; a test value never seen in training is missing.
        categories = sorted(train[column].dropna().unique())
        train[column] = pd.Categorical(train[column], categories=categories)
        test[column] = pd.Categorical(test[column], categories=categories)
    else:
        train[column] = train[column].astype("float64")
        test[column] = test[column].astype("float64")

params = {"objective": "binary", "learning_rate": 0.1, "num_leaves": 31, "seed": 42, "verbosity": -1}
booster = lgb.train(params, lgb.Dataset(train[FEATURES], label=(train[LABEL] == POSITIVE).astype(int)), num_boost_round=100)
probability = booster.predict(test[FEATURES])
truth = (test[LABEL] == POSITIVE).astype(int)
print(f"lightgbm {lgb.__version__}: rows {len(test)}, accuracy {accuracy_score(truth, probability > 0.5):.6f}, auc {roc_auc_score(truth, probability):.6f}")

larder_predictions = f"{work}/data/test_predictions.csv"
if os.path.exists(larder_predictions):
    larder = pd.read_csv(larder_predictions).set_index("person_id")["prob_over_50K"].reindex(test["person_id"]).to_numpy()
    difference = abs(larder - probability)
    print(f"larder vs lightgbm: largest |P(over_50K)| difference {difference.max():.2e}, "
          f"predicted classes differ on {int(((larder > 0.5) != (probability > 0.5)).sum())} of {len(test)} rows")
