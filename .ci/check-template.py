#!/usr/bin/env python3
"""Checks template.yaml on SAM's own transform (aws-sam-translator), where it is installed (CI runs this only then).

What it asserts, each of which a template edit could break:
  1. the template transforms (what `sam deploy` hands CloudFormation);
  2. every template parameter a function's environment depends on (a !Ref, a ${...} in a !Sub, or a condition
     of an !If) is named in that function's Version Description: SAM's version hash covers the environment as
     written, not the parameter's value, so without this a changed setting would update $LATEST while the
     `live` alias kept the old version. A Version's Description cannot be updated in place (CloudFormation
     replaces the Version: a new version is published and the alias follows it);
  3. each Version Description stays within Lambda's 256 characters with every parameter at its longest;
  4. changing any one of those parameters changes the resolved Description (a new version);
  5. no secret reaches the template or an environment ({{resolve:...}}), no reserved concurrency;
  6. secretsmanager:GetSecretValue is granted on the stack's secret only;
  7. internal routes are under AWS_IAM, provider webhook routes are not.
"""
import copy
import os
import re
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
INTERNAL = re.compile(r"^/(transactions/payout-callback|payouts|review|quarantine)|/replay$")
failures = []


class NoManagedPolicies:
    def load(self):
        return {}

    def get(self, name):
        return "arn:aws:iam::aws:policy/" + name


def fail(message):
    failures.append(message)


def parameters_in(node, template, seen=None):
    """Template parameters a value depends on (Ref, ${X} in Sub, conditions of Fn::If)."""
    names = set()
    params = template.get("Parameters", {})
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and value in params:
                names.add(value)
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                names |= {n for n in re.findall(r"\$\{([A-Za-z0-9]+)\}", text) if n in params}
                if not isinstance(value, str):
                    names |= parameters_in(value[1], template)
            elif key == "Fn::If":
                names |= parameters_in(template.get("Conditions", {}).get(value[0]), template)
                names |= parameters_in(value[1:], template)
            elif key == "Condition" and isinstance(value, str):
                names |= parameters_in(template.get("Conditions", {}).get(value), template)
            else:
                names |= parameters_in(value, template)
    elif isinstance(node, list):
        for item in node:
            names |= parameters_in(item, template)
    return names


def longest(param):
    if "AllowedValues" in param:
        return max((str(v) for v in param["AllowedValues"]), key=len)
    if param.get("Type") == "Number":
        return str(param.get("MaxValue", 10 ** 15))
    if "MaxLength" in param:
        return "x" * int(param["MaxLength"])
    return None


def substitute(sub, values):
    return re.sub(r"\$\{([A-Za-z0-9]+)\}", lambda m: str(values.get(m.group(1), m.group(0))), sub)


def main():
    source = open(os.path.join(ROOT, "template.yaml")).read()
    # What `sam package` does to a local CodeUri: an S3 location.
    packaged = re.sub(r"CodeUri: (\S+)", lambda m: "CodeUri: s3://bucket/" + m.group(1).replace("/", "-"), source)
    template = yaml_parse(packaged)
    out = transform(copy.deepcopy(template), {}, NoManagedPolicies())
    resources = out["Resources"]
    params = template["Parameters"]
    if "{{resolve:" in source:
        fail("a {{resolve:...}} dynamic reference puts a secret into the deployment")

    for logical_id, res in template["Resources"].items():
        if res["Type"] != "AWS::Serverless::Function":
            continue
        props = res["Properties"]
        if "ReservedConcurrentExecutions" in props:
            fail(f"{logical_id}: ReservedConcurrentExecutions (fails in accounts with the default quota of 10)")
        env = dict(template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {}))
        env.update(props.get("Environment", {}).get("Variables", {}))
        needed = parameters_in(env, template)
        versions = [r for k, r in resources.items()
                    if r["Type"] == "AWS::Lambda::Version" and k.startswith(logical_id + "Version")]
        if len(versions) != 1:
            fail(f"{logical_id}: expected one published version, found {len(versions)}")
            continue
        description = versions[0]["Properties"].get("Description")
        named = parameters_in(description, template) if description else set()
        missing = needed - named
        if missing:
            fail(f"{logical_id}: environment depends on {sorted(missing)} but its VersionDescription does not name "
                 "them: changing them would not reach the live alias")
        if description:
            sub = description["Fn::Sub"]
            worst = {n: longest(params[n]) for n in named}
            unbounded = [n for n, v in worst.items() if v is None]
            if unbounded:
                fail(f"{logical_id}: parameters {unbounded} have no MaxLength/AllowedValues: Description may pass 256")
            elif len(substitute(sub, worst)) > 256:
                fail(f"{logical_id}: VersionDescription can reach {len(substitute(sub, worst))} characters (max 256)")
            defaults = {n: params[n].get("Default", "") for n in named}
            for n in named:
                changed = dict(defaults)
                changed[n] = str(defaults[n]) + "-changed"
                if substitute(sub, changed) == substitute(sub, defaults):
                    fail(f"{logical_id}: changing {n} does not change its Version Description")
        print(f"  {logical_id}: environment parameters {sorted(needed)} -> version description {sorted(named)}")

    for logical_id, res in resources.items():
        if res["Type"] == "AWS::IAM::Role":
            for policy in res["Properties"].get("Policies", []):
                for st in policy["PolicyDocument"]["Statement"]:
                    if "Fn::If" in st:  # a statement granted under a condition: check its granted branch
                        st = st["Fn::If"][1]
                    actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
                    if any(a.startswith("secretsmanager:") for a in actions):
                        if st.get("Resource") != {"Ref": "PayoutSecrets"} or actions != ["secretsmanager:GetSecretValue"]:
                            fail(f"{logical_id}: secrets statement {st} is not GetSecretValue on PayoutSecrets")
            managed = res["Properties"].get("ManagedPolicyArns", [])
            if any("AWSLambdaDynamoDBExecutionRole" in str(m) for m in managed):
                fail(f"{logical_id}: AWSLambdaDynamoDBExecutionRole grants every stream in the account")

    api = [r for r in resources.values() if r["Type"] == "AWS::ApiGatewayV2::Api"][0]
    for path, ops in api["Properties"]["Body"]["paths"].items():
        for method, op in ops.items():
            iam = op.get("security") == [{"AWS_IAM": []}]
            if bool(INTERNAL.search(path)) != iam:
                fail(f"{method.upper()} {path}: {'internal route without' if not iam else 'webhook route under'} AWS_IAM")

    if failures:
        print("template check FAILED:")
        for f in failures:
            print("  - " + f)
        return 1
    print("template check: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
