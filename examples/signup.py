"""Sign-up: verify the person's real identity, check the account name and avatar, register the account.

    COMPLIANCE_API_URL=... COMPLIANCE_API_KEY=... python examples/signup.py

MB2018-7, PA2017-6 (real identity before an account), PA2020-8 and PA2020-18 (name and avatar checks),
PA2017-7 (accounts per subject, enforced atomically by the registration).
"""

from __future__ import annotations

import random
from typing import Any

from sample_people import ApiError, Client, client_from_environment, resident_id

AVATAR_PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"  # the uploaded avatar's PDQ hash


def run(api: Client, rng: random.Random | None = None, say: Any = print) -> dict[str, Any]:
    rng = rng or random.Random()
    # 1. Real-name verification with the tenant's provider (the demo tenant uses the sandbox verifier).
    verified = api.verify_identity({"subject_type": "PERSON", "real_name": "李小鹿",
                                    "document": {"type": "RESIDENT_ID", "number": resident_id(rng)}})
    subject_id = verified["subject_id"]
    say(f"1. identity {verified['outcome']}: subject {subject_id}, re-confirm by {verified['reconfirm_by']}")
    # 2. The account name the person chose, and their avatar, before anything is created.
    name = f"小鹿的日常{rng.randrange(1000, 10000)}"
    name_check = api.check_name({"text": name, "field": "account_name", "subject_id": subject_id})
    say(f"2. name {name!r}: {name_check['decision']}")
    avatar = api.check_avatar({"pdq": AVATAR_PDQ, "subject_id": subject_id})
    say(f"3. avatar: {avatar['decision']}")
    if name_check["decision"] == "REJECT" or avatar["decision"] == "REJECT":
        raise SystemExit("refused: pick another name or avatar")
    # 4. Register: limits, velocity, blacklists and the name check again, in one atomic write.
    try:
        account = api.register_account({"subject_id": subject_id, "account_type": "USER", "name": name,
                                        "external_id": f"u-{rng.getrandbits(40):x}"})
    except ApiError as error:  # e.g. 409 LIMIT_REACHED (PA2017-7), 403 SUBJECT_BLACKLISTED (GR2017-11)
        say(f"4. registration refused: {error.code} {error.message_zh}")
        raise
    say(f"4. registered account {account['account_id']} for {subject_id}")
    return {"subject_id": subject_id, "account_id": account["account_id"], "name": name}


if __name__ == "__main__":
    run(client_from_environment())
