// The dashboard refreshes itself from /status.json every few seconds (plain HTTP polling).
"use strict";

const REFRESH_MS = 5000;
const $ = (id) => document.getElementById(id);

function badge(id, state, text) {
  const el = $(id);
  el.className = "badge " + state;
  el.textContent = text;
}

function text(id, value) {
  $(id).textContent = value ?? "—";
}

function chart(days) {
  const svg = $("per-day");
  const width = svg.clientWidth || 600, height = 160, bottom = 18;
  const max = Math.max(1, ...days.map((d) => d.calls));
  const step = width / days.length;
  const bars = days.map((d, i) => {
    const h = ((height - bottom - 12) * d.calls) / max;
    const x = i * step + 2, y = height - bottom - h;
    const label = i % 5 === 4 || i === days.length - 1
      ? `<text x="${x}" y="${height - 4}">${d.day}</text>` : "";
    return `<rect x="${x}" y="${y}" width="${Math.max(1, step - 4)}" height="${h}"><title>${d.day}: ${d.calls}</title></rect>${label}`;
  });
  svg.innerHTML = bars.join("");
}

function render(s) {
  text("generated-at", s.generated_at);
  badge("twilio-badge", s.twilio.last_webhook ? "good" : "idle", s.twilio.last_webhook ? "receiving" : "no calls yet");
  text("twilio-last", s.twilio.last_webhook);
  text("twilio-rejections", String(s.twilio.signature_rejections));

  const m = s.model;
  if (!m.configured) badge("model-badge", "idle", "rules only");
  else if (m.reachable === false) badge("model-badge", "bad", "failing");
  else badge("model-badge", "good", m.reachable ? "reachable" : "configured");
  text("model-name", m.configured ? m.name : "none (keyword rules)");
  text("model-latency", m.latency_ms_p50 == null ? null : `${m.latency_ms_p50} ms`);
  text("model-rules", m.rules_share == null ? null : `${Math.round(m.rules_share * 100)}%`);
  text("model-structured", m.structured_replies);
  const problem = $("model-problem");
  problem.textContent = m.problem || "";
  problem.hidden = !m.problem;

  const rmDown = s.rent_manager.ok === false;
  badge("rm-badge", s.outbox.failed > 0 || rmDown ? "bad" : "good",
        rmDown ? "unreachable" : s.outbox.failed > 0 ? `${s.outbox.failed} failed` : "ok");
  text("rm-detail", s.rent_manager.detail);
  text("outbox-counts", `${s.outbox.pending} pending / ${s.outbox.failed} failed`);
  text("outbox-last", s.outbox.last_delivery);

  const t = s.texts;
  if (!t.configured) badge("sms-badge", "idle", "off");
  else if (t.failed > 0) badge("sms-badge", "bad", `${t.failed} failed`);
  else if (t.sent > 0 && t.delivered === 0) badge("sms-badge", "warn", "no receipts yet");
  else badge("sms-badge", "good", "ok");
  text("sms-counts", t.configured ? `${t.sent} / ${t.delivered} / ${t.failed}` : "not configured (TWILIO_ACCOUNT_SID)");
  text("sms-awaiting", String(t.awaiting));
  text("sms-callers", t.to_callers ? "on" : "off");
  const smsProblem = $("sms-problem");
  smsProblem.textContent = t.last_error_code == null ? "" : `Last delivery error: ${t.last_error_code}${t.last_error_code === 30007 ? " (carrier filtering: register the sender)" : ""}`;
  smsProblem.hidden = t.last_error_code == null;

  const f = s.follow_ups;
  text("follow-ups-open", String(f.open));
  badge("follow-ups-badge", f.urgent > 0 ? "bad" : f.open > 0 ? "warn" : "good",
        f.urgent > 0 ? `${f.urgent} urgent` : f.open > 0 ? "to do" : "all done");
  const oldest = $("follow-ups-oldest");
  oldest.replaceChildren();
  if (f.oldest_urgent) {
    const o = f.oldest_urgent;
    const link = document.createElement("a");
    link.href = `/follow-ups/${o.id}`;
    link.textContent = `Oldest urgent, ${o.age} old: ${o.body}`;
    oldest.append(link);
  }
  const e = s.email;
  const emailFailing = e.failing;
  if (!e.configured) badge("email-badge", "idle", "off");
  else if (emailFailing) badge("email-badge", "bad", e.failed > 0 ? `${e.failed} failed` : "failing");
  else badge("email-badge", "good", e.last_success ? "ok" : "configured");
  text("email-to", e.configured ? e.to + (e.digest_at ? ` (digest at ${e.digest_at})` : "") : "off: set SMTP_URL and OFFICE_EMAIL");
  text("email-counts", `${e.queued} queued / ${e.failed} failed`);
  text("email-last-success", e.last_success);
  text("email-last-failure", e.last_failure);
  const emailError = $("email-error");
  emailError.textContent = emailFailing ? e.last_error || "" : "";
  emailError.hidden = !emailFailing || !e.last_error;

  const log = s.database.log;
  const degraded = s.database.ok && log && log.degraded;
  badge("db-badge", !s.database.ok ? "bad" : degraded ? "warn" : "good",
        !s.database.ok ? "down" : degraded ? "degraded" : "ok");
  text("db-engine", s.database.engine);
  text("db-latency", `${s.database.latency_ms.toFixed(1)} ms`);
  // PostgreSQL has no log to keep (null); SQLite's shows its size, or what is wrong with it.
  text("db-log", !log ? "not kept (PostgreSQL)" : log.degraded ?? `${log.mb.toFixed(1)} of ${log.bound_mb.toFixed(0)} MB`);

  text("in-progress", String(s.calls_in_progress));
  text("today-total", s.today.total === 1 ? "1 call" : `${s.today.total} calls`);
  const outcomes = ["emergency", "service_issue", "transferred", "message", "information"];
  $("today").innerHTML = outcomes
    .map((o) => `<span class="badge outcome-${o}" data-outcome="${o}">${o.replace("_", " ")}: ${s.today[o]}</span>`)
    .join("");
  chart(s.per_day);
}

async function refresh() {
  try {
    const response = await fetch("/status.json", { headers: { Accept: "application/json" } });
    if (response.status === 401) return window.location.assign("/login?next=/");
    if (response.ok) render(await response.json());
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
