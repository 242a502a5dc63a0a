"""Made-up people for demonstration contacts, and the words of demonstration decisions."""

from __future__ import annotations

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN_NAMES = (
    "伟",
    "芳",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "华",
    "平",
    "秀英",
    "建华",
    "晓东",
    "海燕",
    "志强",
    "文静",
    "雪梅",
    "国庆",
    "立新",
    "宇航",
    "思远",
    "佳怡",
    "子轩",
    "建国",
    "春燕",
    "晓琳",
    "卫东",
    "红梅",
    "振宇",
    "嘉欣",
    "亚楠",
    "晨曦",
    "浩然",
    "丹丹",
    "凯",
    "琳",
)

#: Contact roles a CAB names to the accreditation body, the first being its primary contact.
CONTACT_ROLES = (
    ("认可联络人", "accreditation"),
    ("质量负责人", "quality"),
    ("技术负责人", "technical"),
    ("最高管理者", "director"),
)

SUSPENSION_REASONS = (
    "监督评审发现超出认可范围使用认可标识，且未在规定期限内完成整改。",
    "未按要求通知认可机构关键技术人员及地址变更。",
    "内部审核和管理评审未有效实施，管理体系未能持续运行。",
    "能力验证结果不满意且未采取有效纠正措施。",
    "专项监督发现原始记录数据不可追溯。",
)
WITHDRAWAL_REASONS = (
    "暂停期满仍未完成整改，认可评定委员会决定撤销认可。",
    "暂停期间继续出具带认可标识的报告，决定撤销认可。",
)
CANCELLATION_REASON = "机构因业务调整自愿申请注销认可资格。"
EXPIRY_REASON = "认可证书有效期届满，机构未在规定期限内提交复评审申请。"
PARTIAL_SUSPENSION_REASON = "监督评审发现部分项目关键设备未按期检定校准，暂停相关项目的认可资格。"
GRANT_REASON = "认可评定委员会评定：予以认可。"
INITIAL_SCOPE_NOTE = "初次认可申请范围"
INITIAL_SCOPE_REASON = "初次认可评定通过，发布认可范围。"
EXTENSION_NOTE = "扩大认可范围申请"
EXTENSION_REASON = "扩项评审通过，批准扩大认可范围。"
REVISION_NOTE = "标准方法变更确认及扩项"
REVISION_REASON = "标准变更确认和扩项评审通过，更新认可范围。"
REDUCTION_NOTE = "缩小认可范围"
REDUCTION_REASONS = (
    "应机构申请，缩小认可范围。",
    "复评审发现部分项目已不具备检测能力，缩小认可范围。",
)
CAB_CREATED_REASON = "受理认可申请，录入机构登记信息。"
OPENED_REASON = "认可申请材料齐全，予以受理。"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def landline(rng: random.Random, area_code: str) -> str:
    return f"{area_code}-{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice(['35', '38', '39', '58', '86', '89'])}{rng.randint(0, 99_999_999):08d}"
