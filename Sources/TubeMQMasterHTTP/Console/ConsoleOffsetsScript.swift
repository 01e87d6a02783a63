/// The consumption page's offsets: a group's committed offset, max offset and lag per partition on
/// every broker, and resetting them (to the earliest, the latest, an offset or a time). The calls go
/// to the brokers' webapis through the master (`/broker-webapi.htm`, ``BrokerWebProxy``); resets carry
/// the brokers' admin token, typed into the form.
enum ConsoleOffsetsScript {
    static let text = #"""
        "use strict";
        (() => {
          const { el, table, query, status } = tube;
          // An offset past the end of any partition: the broker clamps it to the newest.
          const BEYOND = "1125899906842624";
          // The broker token typed last, kept while the offsets are shown again after a reset.
          let brokerToken = "";

          // A broker webapi call through the master; a change carries the broker token typed in the form.
          function brokerCall(brokerId, method, params, modify) {
            return tube.brokerCall(brokerId, method, params,
              modify ? document.getElementById("broker-token").value : undefined);
          }

          // Every partition of the group on every broker: {topic, partition, broker, committed, max, lag}.
          async function load(group) {
            const brokers = (await query("admin_query_broker_configure", {})).data || [];
            const rows = [];
            const problems = [];
            await Promise.all(brokers.map(async (broker) => {
              try {
                const reply = await brokerCall(broker.brokerId, "admin_query_group_offset", { groupName: group });
                for (const item of reply.dataSet || []) {
                  for (const sub of item.subInfo || []) {
                    for (const part of sub.offsets || []) {
                      rows.push({ topic: sub.topicName, partition: part.partitionId, broker: broker.brokerId,
                        committed: part.curOffset, max: part.offsetMax, lag: part.offsetLag });
                    }
                  }
                }
              } catch (error) {
                problems.push("broker " + broker.brokerId + ": " + error.message);
              }
            }));
            rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.broker - b.broker);
            return { rows, problems };
          }

          function render(group, container, rows, problems) {
            // The partitions of a storage instance (partition id / 10000) share its index, so each one's lag
            // counts the others' messages too: per instance, count the least advanced partition's lag only.
            const perStore = new Map();
            for (const r of rows) {
              const key = [r.topic, r.broker, Math.floor(r.partition / 10000)].join(" ");
              perStore.set(key, Math.max(perStore.get(key) || 0, Math.max(0, r.lag)));
            }
            const total = [...perStore.values()].reduce((sum, lag) => sum + lag, 0);
            const offsets = rows.length === 0 ? el("p", { class: "empty" }, "No broker holds offsets of this group.")
              : table(["topic", "partition", "broker", "committed", "max offset", "lag"], rows.map((r) =>
                el("tr", { class: r.lag > 0 ? "attention" : undefined },
                  el("td", {}, r.topic), el("td", { class: "num" }, r.partition), el("td", { class: "num" }, r.broker),
                  el("td", { class: "num" }, r.committed < 0 ? "-" : r.committed), el("td", { class: "num" }, r.max),
                  el("td", { class: "num" }, r.lag))), "offset-table");
            const topics = [...new Set(rows.map((r) => r.topic))];
            const target = el("select", { id: "reset-target", "aria-label": "reset to" },
              el("option", { value: "earliest" }, "earliest"), el("option", { value: "latest" }, "latest"),
              el("option", { value: "offset" }, "offset"), el("option", { value: "time" }, "time (broker local time)"));
            const value = el("input", { type: "text", id: "reset-value", placeholder: "offset or 2026-12-01 10:00:00" });
            const topic = el("select", { id: "reset-topic", "aria-label": "topic" },
              topics.map((t) => el("option", { value: t }, t)));
            const form = el("form", { class: "panel", id: "offset-reset" },
              el("label", {}, "topic", topic), el("label", {}, "reset to", target), el("label", {}, "value", value),
              el("label", {}, "broker webapi token",
                el("input", { type: "password", id: "broker-token", autocomplete: "off", placeholder: "webapi.token",
                  value: brokerToken, oninput: (event) => { brokerToken = event.target.value; } })),
              el("button", { type: "submit", class: "primary", id: "offset-reset-submit" }, "Reset offsets"),
              el("button", { type: "button", onclick: () => show(group, container) }, "Refresh"));
            form.addEventListener("submit", async (event) => {
              event.preventDefault();
              if (await reset(group, topic.value, target.value, value.value.trim(), rows)) show(group, container);
            });
            const parts = [el("h3", {}, "Offsets of " + group), offsets,
              el("p", { class: "note", id: "offset-total" }, "total lag: " + total + " offset units, " + Math.floor(total / 28) + " messages")];
            if (problems.length > 0) parts.push(el("p", { class: "note" }, "Not shown: " + problems.join("; ")));
            if (topics.length > 0) parts.push(form);
            container.replaceChildren(...parts);
          }

          // `2026-12-01 10:00[:ss]` or `2026-12-01T10:00[:ss]` as the broker's recordTime (yyyyMMddHHmmss).
          function recordTime(text) {
            const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
            return match ? match.slice(1, 6).join("") + (match[6] || "00") : null;
          }

          async function reset(group, topic, target, value, rows) {
            const what = "Reset offsets of " + group + " on " + topic + " to " + target + (value ? " " + value : "");
            const byBroker = new Map();
            for (const r of rows.filter((r) => r.topic === topic)) {
              if (!byBroker.has(r.broker)) byBroker.set(r.broker, []);
              byBroker.get(r.broker).push(r.partition);
            }
            let time = null;
            if (target === "offset" && !/^\d+$/.test(value)) {
              status(what + " refused: the offset must be a whole number >= 0", "error");
              return false;
            }
            if (target === "time" && (time = recordTime(value)) === null) {
              status(what + " refused: the time must look like 2026-12-01 10:00:00", "error");
              return false;
            }
            status(what + "…", "");
            try {
              for (const [broker, partitions] of byBroker) {
                try {
                  if (target === "earliest" || target === "latest") {
                    const offsets = {};
                    for (const p of partitions) offsets[broker + ":" + topic + ":" + p] = target === "earliest" ? 0 : BEYOND;
                    await brokerCall(broker, "admin_set_offset",
                      { groupName: group, manualSet: "true", offsetJsonInfo: JSON.stringify(offsets) }, true);
                  } else if (target === "offset") {
                    for (const p of partitions) {
                      await brokerCall(broker, "admin_manual_set_current_offset",
                        { groupName: group, topicName: topic, partitionId: p, manualOffset: value }, true);
                    }
                  } else {
                    await brokerCall(broker, "admin_set_offset_by_time",
                      { groupName: group, topicName: topic, recordTime: time }, true);
                  }
                } catch (error) {
                  throw new Error("broker " + broker + ": " + error.message);
                }
              }
            } catch (error) {
              status(what + " refused: " + error.message, "error");
              return false;
            }
            status(what + ": done", "ok");
            return true;
          }

          async function show(group, container) {
            container.replaceChildren(el("p", { class: "note" }, "Loading offsets…"));
            try {
              const { rows, problems } = await load(group);
              render(group, container, rows, problems);
            } catch (error) {
              container.replaceChildren(el("p", { class: "note" }, "Offsets could not be loaded: " + error.message));
            }
          }

          tube.offsets = { show };
        })();

        """#
}
