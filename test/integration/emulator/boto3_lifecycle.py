"""boto3 against the Glue emulator: a full session lifecycle and the error cases.

Usage: python3 boto3_lifecycle.py ENDPOINT ACCESS_KEY SECRET
Prints one JSON line with what it saw; exits 1 with a message on the first failed check.
"""
import json
import sys
import time

import boto3
import botocore.config
from botocore.exceptions import ClientError

endpoint, key, secret = sys.argv[1:4]
ROLE = "arn:aws:iam::123456789012:role/GlueRole"
cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
glue = session.client("glue", endpoint_url=endpoint, config=cfg)
seen = {}


def check(cond, what):
    if not cond:
        print("FAILED: " + what, file=sys.stderr)
        sys.exit(1)


def error_code(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, 200


def wait(fn, done, what, timeout=30):
    end = time.time() + timeout
    while True:
        v = fn()
        if done(v):
            return v
        check(time.time() < end, "timed out waiting for " + what + ": " + repr(v))
        time.sleep(0.05)


def run(code):
    sid = glue.run_statement(SessionId="py-1", Code=code)["Id"]
    return wait(lambda: glue.get_statement(SessionId="py-1", Id=sid)["Statement"],
                lambda s: s["State"] in ("AVAILABLE", "ERROR", "CANCELLED"), "statement %d" % sid)


s = glue.create_session(Id="py-1", Role=ROLE, Command={"Name": "glueetl", "PythonVersion": "3"},
                        WorkerType="G.1X", NumberOfWorkers=2, IdleTimeout=30, Tags={"owner": "boto3"})["Session"]
check(s["Status"] == "PROVISIONING", "created PROVISIONING")
check(hasattr(s["CreatedOn"], "year"), "CreatedOn parsed as a datetime by botocore")
wait(lambda: glue.get_session(Id="py-1")["Session"]["Status"], lambda v: v == "READY", "READY")

check(run("x = 20")["Output"]["Status"] == "ok", "assignment ok")
out = run("print('from python', x * 2)")
check(out["Output"]["Data"]["TextPlain"] == "from python 40", "stdout: %r" % out["Output"])
out = run("x + 1")
check(out["Output"]["Data"]["TextPlain"] == "21", "final value: %r" % out["Output"])
check(isinstance(out["StartedOn"], int) and out["StartedOn"] > 10**12, "StartedOn epoch ms")
err = run("raise ValueError('bad value')")
check(err["State"] == "AVAILABLE" and err["Output"]["Status"] == "error", "exception is AVAILABLE/error")
check(err["Output"]["ErrorName"] == "ValueError" and err["Output"]["ErrorValue"] == "bad value", repr(err["Output"]))
seen["traceback_lines"] = len(err["Output"]["Traceback"])

sleep_id = glue.run_statement(SessionId="py-1", Code="import time\ntime.sleep(60)")["Id"]
wait(lambda: glue.get_statement(SessionId="py-1", Id=sleep_id)["Statement"]["State"], lambda v: v == "RUNNING", "RUNNING")
t0 = time.time()
glue.cancel_statement(SessionId="py-1", Id=sleep_id)
wait(lambda: glue.get_statement(SessionId="py-1", Id=sleep_id)["Statement"]["State"], lambda v: v == "CANCELLED", "CANCELLED", 5)
seen["cancel_seconds"] = round(time.time() - t0, 3)
check(seen["cancel_seconds"] < 2, "cancelled within 2 s")
check(run("x")["Output"]["Data"]["TextPlain"] == "20", "state kept after cancel")

stmts = glue.list_statements(SessionId="py-1")["Statements"]
check([st["Id"] for st in stmts] == list(range(len(stmts))), "statements listed in order")
listed = glue.list_sessions(Tags={"owner": "boto3"})
check(listed["Ids"] == ["py-1"], "list with tag filter")
arn = "arn:aws:glue:us-east-1:123456789012:session/py-1"
glue.tag_resource(ResourceArn=arn, TagsToAdd={"k": "v"})
check(glue.get_tags(ResourceArn=arn)["Tags"] == {"owner": "boto3", "k": "v"}, "tags")

# Error cases.
check(error_code(glue.get_session, Id="nope") == ("EntityNotFoundException", 400), "unknown session")
check(error_code(glue.create_session, Id="py-1", Role=ROLE, Command={"Name": "glueetl"})[0] == "AlreadyExistsException", "duplicate")
check(error_code(glue.create_session, Id="py-2", Role="nope-not-a-role-arn-x", Command={"Name": "glueetl"})[0] == "ValidationException", "role pattern")
check(error_code(glue.create_session, Id="py-2", Role=ROLE, Command={"Name": "glueetl"}, MaxCapacity=2.0,
                 WorkerType="G.1X", NumberOfWorkers=2)[0] == "InvalidInputException", "MaxCapacity with workers")
check(error_code(glue.run_statement, SessionId="py-1", Code="x" * 68001)[0] == "ValidationException", "Code too long")

glue.stop_session(Id="py-1")
wait(lambda: glue.get_session(Id="py-1")["Session"]["Status"], lambda v: v == "STOPPED", "STOPPED")
check(error_code(glue.run_statement, SessionId="py-1", Code="1")[0] == "InvalidInputException", "statement on a stopped session")
glue.delete_session(Id="py-1")
check(error_code(glue.get_session, Id="py-1")[0] == "EntityNotFoundException", "deleted")

# Signatures and STS.
bad = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key="wrong", region_name="us-east-1")
check(error_code(bad.client("glue", endpoint_url=endpoint, config=cfg).list_sessions)[0] == "InvalidSignatureException", "wrong secret")
sts = session.client("sts", endpoint_url=endpoint, config=cfg)
seen["caller"] = sts.get_caller_identity()["Arn"]
creds = sts.assume_role(RoleArn=ROLE, RoleSessionName="boto3-test")["Credentials"]
temp = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                             aws_session_token=creds["SessionToken"], region_name="us-east-1")
temp.client("glue", endpoint_url=endpoint, config=cfg).list_sessions()
seen["assumed"] = temp.client("sts", endpoint_url=endpoint, config=cfg).get_caller_identity()["Arn"]
iam = session.client("iam", endpoint_url=endpoint, config=cfg)
seen["role"] = iam.get_role(RoleName="GlueRole")["Role"]["Arn"]
print(json.dumps(seen))
