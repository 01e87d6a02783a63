/// The consumption page: consumer groups (online ones, and those only holding offsets on the brokers)
/// with their topics and held partitions, searchable by topic or group; a group's members with the
/// broker and partitions each holds, and its offsets (``ConsoleOffsetsScript``).
enum ConsoleGroupsScript {
    static let text = #"""
        "use strict";
        (() => {
          const { el, table, query, page } = tube;
          let groups = [];
          let built = null;

          function build(section) {
            const search = el("input", { type: "search", id: "group-search", placeholder: "topic or group name",
              "aria-label": "search groups by topic or group" });
            const list = el("div", { id: "group-list" });
            const detail = el("div", { id: "group-detail" });
            search.addEventListener("input", () => render(search.value, list, detail));
            section.append(el("h2", {}, "Consumer groups"),
              el("div", { class: "panel" }, search,
                el("button", { type: "button", onclick: () => tube.reload("groups") }, "Refresh")),
              list, detail);
            return { search, list, detail };
          }

          function render(term, list, detail) {
            const wanted = term.trim().toLowerCase();
            const shown = groups.filter((g) => wanted === "" || g.name.toLowerCase().includes(wanted)
              || g.topics.some((t) => t.toLowerCase().includes(wanted)));
            if (shown.length === 0) {
              list.replaceChildren(el("p", { class: "empty" },
                wanted === "" ? "No consumer group is online or holds offsets." : "No group or topic matches."));
              return;
            }
            list.replaceChildren(table(["group", "topics", "consumers", "partitions held"], shown.map((g) =>
              el("tr", {},
                el("td", {}, el("button", { type: "button", class: "link", onclick: () => showGroup(g, detail) }, g.name),
                  g.offline ? el("span", { class: "note" }, " (no member online)") : null),
                el("td", {}, g.topics.join(", ")),
                el("td", { class: "num" }, g.consumers),
                el("td", { class: "num" }, g.partitions))), "group-table"));
          }

          function showGroup(group, detail) {
            const rows = [];
            for (const member of group.members) {
              const byBroker = new Map();
              for (const part of member.parInfo || []) {
                const key = part.brokerAddr;
                if (!byBroker.has(key)) byBroker.set(key, []);
                byBroker.get(key).push(part.topicName + ":" + part.partId);
              }
              const brokers = byBroker.size === 0 ? [["-", []]] : [...byBroker.entries()];
              for (const [broker, parts] of brokers) {
                rows.push(el("tr", {},
                  el("td", {}, member.consumerId),
                  el("td", {}, member.receivedFrom),
                  el("td", { class: "num" }, member.parCount),
                  el("td", {}, broker),
                  el("td", {}, parts.join(", "))));
              }
            }
            const offsets = el("div", { id: "group-offsets" });
            detail.replaceChildren(el("h3", {}, "Members of " + group.name),
              rows.length > 0 ? table(["consumer", "from", "partitions", "broker", "topic:partition"], rows, "member-table")
                : el("p", { class: "empty" }, "The group has no member now."), offsets);
            if (tube.offsets) tube.offsets.show(group.name, offsets);
          }

          page("groups", async (section) => {
            built = built || build(section);
            const subscriptions = await query("admin_query_sub_info", {});
            groups = await Promise.all(subscriptions.data.map(async (s) => {
              let members = [];
              try {
                members = (await query("admin_query_consume_group_detail", { groupName: s.consumeGroup })).data || [];
              } catch (error) {
                members = [];
              }
              const partitions = members.reduce((sum, m) => sum + (m.parCount > 0 ? m.parCount : 0), 0);
              return { name: s.consumeGroup, topics: s.topicSet || [], consumers: s.consumerNum, partitions, members };
            }));
            // Groups with no member online still hold offsets on the brokers; list them too, so that
            // their offsets can be seen and reset before their consumers start again.
            const online = new Set(groups.map((g) => g.name));
            const offline = new Map();
            const brokers = (await query("admin_query_broker_configure", {})).data || [];
            await Promise.all(brokers.map(async (broker) => {
              try {
                const reply = await tube.brokerCall(broker.brokerId, "admin_query_group_offset", {});
                for (const item of reply.dataSet || []) {
                  if (online.has(item.groupName)) continue;
                  const topics = offline.get(item.groupName) || new Set();
                  for (const sub of item.subInfo || []) topics.add(sub.topicName);
                  offline.set(item.groupName, topics);
                }
              } catch (error) {
                // A broker that does not answer: its groups are left out; the offsets view says why.
              }
            }));
            for (const [name, topics] of offline) {
              groups.push({ name, topics: [...topics].sort(), consumers: 0, partitions: 0, members: [], offline: true });
            }
            groups.sort((a, b) => a.name.localeCompare(b.name));
            render(built.search.value, built.list, built.detail);
            built.detail.replaceChildren();
          });
        })();

        """#
}
