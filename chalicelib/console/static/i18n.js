// Chinese (default) and English; the choice is kept for the tab only, like the key.
const TEXT = {
  zh: {
    skip: "跳到正文", brand: "合规控制台", lang: "English", signout: "退出",
    "nav.queue": "待办队列", "nav.appeals": "申诉", "nav.subject": "主体 / 账号", "nav.dashboard": "统计",
    "nav.lexicon": "词库与图库", "nav.records": "记录",
    "signin.title": "登录", "signin.key": "API 密钥", "signin.actor": "审核员名称（写入审计记录的 X-Actor）",
    "signin.go": "登录", "signin.note": "密钥只保存在本标签页的会话存储中，关闭标签页即清除。",
    "signin.bad": "密钥无效或已吊销。", "readonly": "只读（检查权限）",
    loading: "加载中…", none: "没有记录。", denied: "此 API 密钥无权查看这部分内容。", error: "请求失败", retry: "重试",
    "queue.title": "待办队列：按期限排序，逾期在前", "queue.source": "来源", "queue.category": "类别",
    "queue.priority": "优先级", "queue.all": "全部", "queue.case": "案件", "queue.target": "对象",
    "queue.due": "期限", "queue.reports": "举报数", "queue.overdue": "逾期",
    "source.REPORT": "举报", "source.CHECK": "检测", "source.PROACTIVE": "主动巡查", "source.AUTHORITY_ORDER": "主管部门指令",
    "case.title": "案件", "case.target": "对象", "case.deadline": "处理期限", "case.rule": "依据",
    "case.reports": "举报", "case.reporter": "举报人", "case.anonymous": "匿名", "case.evidence": "证据",
    "case.decide": "作出决定", "case.outcome": "结论", "case.NO_VIOLATION": "未违规", "case.VIOLATION": "违规", "case.APPROVE": "通过", "case.REJECT": "不通过",
    "case.ground": "依据条款", "case.statement": "处理说明（发送给每位举报人）", "case.add_disposition": "添加处置",
    "case.remove": "移除", "case.submit": "提交决定", "case.decided": "已决定", "case.feedback": "反馈状态",
    "case.feedback_at": "已反馈", "case.feedback_seen": "举报人已查看", "case.not_answered": "未反馈",
    "case.decided_by": "决定人",
    "disp.type": "处置类型", "disp.target_type": "对象类型", "disp.target_id": "对象编号",
    "disp.duration": "期限（小时，留空为永久）", "disp.subject": "运营主体编号（信用）", "disp.blacklist": "列入黑名单",
    "disp.statement": "处置说明",
    "appeals.title": "待处理申诉：按期限排序", "appeals.uphold": "维持", "appeals.overturn": "撤销原决定",
    "appeals.reverses": "撤销将解除以下处置", "appeals.statement": "申诉处理说明", "appeals.appellant": "申诉人",
    "subject.title": "主体与账号", "subject.lookup": "按编号查询", "subject.id": "主体编号（sub_…）或账号编号",
    "subject.find": "查询", "subject.history": "核验记录", "subject.restrictions": "生效中的限制",
    "subject.credit": "信用分", "subject.accounts": "账号", "subject.blacklist": "黑名单核查",
    "subject.raw": "按证件号或手机号核查黑名单（服务器端盲索引）", "subject.doc": "证件号", "subject.doc_type": "证件类型", "subject.phone": "手机号",
    "subject.check": "核查", "subject.hit": "命中", "subject.nohit": "未命中",
    "subject.by_document": "按证件号查找主体（服务器端盲索引，号码不进入地址栏）", "subject.groups": "创建或管理的群组",
    "subject.group": "群组", "subject.role": "角色", "subject.joined": "加入时间",
    "dash.title": "统计", "dash.on_time": "按期处理率", "dash.median": "决定用时中位数（小时）",
    "dash.breaches": "逾期未处理（按日）", "dash.received": "每日收到的举报（按案件立案日）", "dash.alerts": "谣言预警",
    "dash.flags": "数据异常标记", "dash.flags_note": "按账号在“主体 / 账号”页查看。",
    "lex.title": "词库与图库", "lex.try": "试查名称", "lex.text": "名称", "lex.field": "字段", "lex.check": "检查",
    "lex.search": "搜索", "lex.import": "批量导入 CSV", "lex.import_go": "导入", "lex.add": "添加",
    "lex.protected": "受保护名称", "lex.terms": "禁用词", "lex.allow": "允许短语", "lex.banned": "禁止重新注册的名称",
    "lex.avatars": "头像图库", "lex.decision": "结论", "lex.list": "名单",
    "lex.remove": "删除", "lex.remove_confirm": "确定从词库删除该条目？", "lex.banned_help": "days：留空为策略默认期限",
    "rec.title": "记录", "rec.audit": "审计记录", "rec.verify": "校验哈希链", "rec.verified": "哈希链完整",
    "rec.broken": "哈希链断裂", "rec.filings": "报送导出", "rec.manifest": "清单", "rec.policy": "策略",
    "rec.patch": "合并补丁（RFC 7396）", "rec.preview": "将发送的补丁", "rec.save": "保存策略", "rec.saved": "已保存",
    "rec.overrides": "本租户覆盖的设置", "rec.more": "更多",
  },
  en: {
    skip: "Skip to content", brand: "Compliance console", lang: "中文", signout: "Sign out",
    "nav.queue": "Queue", "nav.appeals": "Appeals", "nav.subject": "Subject / account", "nav.dashboard": "Dashboard",
    "nav.lexicon": "Lexicon and banks", "nav.records": "Records",
    "signin.title": "Sign in", "signin.key": "API key", "signin.actor": "Reviewer name (X-Actor in the audit trail)",
    "signin.go": "Sign in", "signin.note": "The key is kept in this tab's session storage only and is gone when the tab closes.",
    "signin.bad": "The key is not valid or was revoked.", "readonly": "read-only (inspect)",
    loading: "Loading…", none: "Nothing here.", denied: "This API key may not read this part.", error: "The request failed", retry: "Retry",
    "queue.title": "Queue: by deadline, overdue first", "queue.source": "Source", "queue.category": "Category",
    "queue.priority": "Priority", "queue.all": "All", "queue.case": "Case", "queue.target": "Target",
    "queue.due": "Due", "queue.reports": "Reports", "queue.overdue": "Overdue",
    "source.REPORT": "Report", "source.CHECK": "Check", "source.PROACTIVE": "Proactive", "source.AUTHORITY_ORDER": "Authority order",
    "case.title": "Case", "case.target": "Target", "case.deadline": "Deadline", "case.rule": "Rule",
    "case.reports": "Reports", "case.reporter": "Reporter", "case.anonymous": "anonymous", "case.evidence": "Evidence",
    "case.decide": "Decide", "case.outcome": "Outcome", "case.NO_VIOLATION": "No violation", "case.VIOLATION": "Violation", "case.APPROVE": "Approve", "case.REJECT": "Reject",
    "case.ground": "Ground (article code)", "case.statement": "Statement of reasons (sent to every reporter)",
    "case.add_disposition": "Add a disposition", "case.remove": "Remove", "case.submit": "Submit the decision",
    "case.decided": "Decided", "case.feedback": "Feedback", "case.feedback_at": "answered",
    "case.feedback_seen": "seen by the reporter", "case.not_answered": "not answered", "case.decided_by": "Decided by",
    "disp.type": "Disposition type", "disp.target_type": "Target type", "disp.target_id": "Target id",
    "disp.duration": "Duration in hours (empty: permanent)", "disp.subject": "Operator subject id (credit)",
    "disp.blacklist": "Blacklist", "disp.statement": "Disposition statement",
    "appeals.title": "Pending appeals by deadline", "appeals.uphold": "Uphold", "appeals.overturn": "Overturn",
    "appeals.reverses": "Overturning reverses", "appeals.statement": "Statement on the appeal", "appeals.appellant": "Appellant",
    "subject.title": "Subject and account", "subject.lookup": "Look up by id", "subject.id": "Subject id (sub_…) or account id",
    "subject.find": "Look up", "subject.history": "Verification history", "subject.restrictions": "Restrictions in force",
    "subject.credit": "Credit score", "subject.accounts": "Accounts", "subject.blacklist": "Blacklist check",
    "subject.raw": "Check the blacklists by a raw document or phone (blind-indexed by the server)",
    "subject.doc": "Document number", "subject.doc_type": "Document type", "subject.phone": "Phone", "subject.check": "Check", "subject.hit": "listed",
    "subject.nohit": "not listed",
    "subject.by_document": "Find the subject by a document number (blind-indexed by the server, never in the address bar)",
    "subject.groups": "Groups founded or managed", "subject.group": "Group", "subject.role": "Role",
    "subject.joined": "Joined",
    "dash.title": "Dashboard", "dash.on_time": "On-time share", "dash.median": "Median hours to decision",
    "dash.breaches": "Breaches per day", "dash.received": "Reports received per day (by the day their case opened)", "dash.alerts": "Rumour alerts",
    "dash.flags": "Metric flags", "dash.flags_note": "Per account, on the Subject / account page.",
    "lex.title": "Lexicon and banks", "lex.try": "Try a name", "lex.text": "Name", "lex.field": "Field", "lex.check": "Check",
    "lex.search": "Search", "lex.import": "Bulk CSV import", "lex.import_go": "Import", "lex.add": "Add",
    "lex.protected": "Protected names", "lex.terms": "Terms", "lex.allow": "Allow phrases", "lex.banned": "Banned names",
    "lex.avatars": "Avatar banks", "lex.decision": "Decision", "lex.list": "List",
    "lex.remove": "Remove", "lex.remove_confirm": "Remove this entry from the lexicon?",
    "lex.banned_help": "days: empty for the policy's default",
    "rec.title": "Records", "rec.audit": "Audit trail", "rec.verify": "Verify the hash chain", "rec.verified": "Chain intact",
    "rec.broken": "Chain broken", "rec.filings": "Filing exports", "rec.manifest": "manifest", "rec.policy": "Policy",
    "rec.patch": "Merge patch (RFC 7396)", "rec.preview": "Patch to be sent", "rec.save": "Save the policy",
    "rec.saved": "Saved", "rec.overrides": "This tenant's overrides", "rec.more": "More",
  },
};

export function lang() {
  return sessionStorage.getItem("console.lang") === "en" ? "en" : "zh";
}

export function setLang(value) {
  sessionStorage.setItem("console.lang", value);
  document.documentElement.lang = value === "en" ? "en" : "zh-CN";
}

export function t(key) {
  return TEXT[lang()][key] ?? TEXT.en[key] ?? key;
}

// Static text in the page carries data-i18n; rendered pages call t() as they draw.
export function translateStatic() {
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  document.documentElement.lang = lang() === "en" ? "en" : "zh-CN";
}

export const KEYS = TEXT;
