/// The consumption page: online consumer groups with their topics and held partitions, searchable
/// by topic or group; a group's members with the broker and partitions each holds, and its offsets
/// (``ConsoleOffsetsScript``).
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
                wanted === "" ? "No consumer group is online." : "No group or topic matches."));
              return;
            }
            list.replaceChildren(table(["group", "topics", "consumers", "partitions held"], shown.map((g) =>
              el("tr", {},
                el("td", {}, el("button", { type: "button", class: "link", onclick: () => showGroup(g, detail) }, g.name)),
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
            groups.sort((a, b) => a.name.localeCompare(b.name));
            render(built.search.value, built.list, built.detail);
            built.detail.replaceChildren();
          });
        })();

        """#
}
