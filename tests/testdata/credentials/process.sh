#!/bin/sh
# A stand-in for a credential_process helper; $1 picks the behaviour.
case "$1" in
ok) printf '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procSecret",
  "SessionToken": "procToken", "Expiration": "2030-01-01T00:00:00Z"}\n' ;;
static) printf '{"Version":1,"AccessKeyId":"AKIDPROCSTATIC","SecretAccessKey":"procStaticSecret"}' ;;
fail)
    echo "token expired: run the login command" >&2
    printf '{"Version":1,"AccessKeyId":"AKIDLEAK","SecretAccessKey":"leakedSecret"}'
    exit 3 ;;
bad) printf 'AccessKeyId=AKIDNOTJSON SecretAccessKey=notJsonSecret' ;;
v2) printf '{"Version":2,"AccessKeyId":"AKIDV2","SecretAccessKey":"v2Secret"}' ;;
*) exit 64 ;;
esac
