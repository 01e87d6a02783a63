/// The topics page: list and search, add (choosing brokers), modify per broker, soft delete and
/// restore, and which brokers hold each topic.
enum ConsoleTopicsScript {
    static let text = #"""
        "use strict";
        (() => {
          const { el, table, query, change, page, yesNo, stateBadge, fields } = tube;
          // The per-broker settings the detail view edits, in the webapi's names.
          const settings = ["numPartitions", "numTopicStores", "unflushThreshold", "unflushInterval", "unflushDataHold",
            "memCacheMsgSizeInMB", "memCacheMsgCntInK", "memCacheFlushIntvl", "deletePolicy"];
          let topics = [];
          let built = null;
          let opened = null;

          function build(section) {
            const search = el("input", { type: "search", id: "topic-search", placeholder: "topic name",
              "aria-label": "search topics" });
            const list = el("div", { id: "topic-list" });
            const detail = el("div", { id: "topic-detail" });
            const brokers = el("div", { class: "brokers", id: "topic-add-brokers" });
            const form = el("form", { class: "panel", id: "topic-add" },
              input("topicName", "topic name"), el("label", {}, "brokers", brokers),
              input("numPartitions", "partitions per store"), input("numTopicStores", "stores"),
              input("unflushThreshold", "unflushThreshold"), input("unflushInterval", "unflushInterval (ms)"),
              input("deletePolicy", "deletePolicy"),
              el("button", { type: "submit", class: "primary", id: "topic-add-submit" }, "Add topic"));
            form.addEventListener("submit", async (event) => {
              event.preventDefault();
              const params = fields(form);
              params.brokerId = [...brokers.querySelectorAll("input:checked")].map((box) => box.value).join(",");
              if (await change("Add topic " + (params.topicName || ""), "admin_add_new_topic_record", params)) {
                await tube.reload("topics");
              }
            });
            search.addEventListener("input", () => render());
            section.append(el("h2", {}, "Topics"),
              el("div", { class: "panel" }, search,
                el("button", { type: "button", onclick: () => tube.reload("topics") }, "Refresh")),
              list, detail, el("h3", {}, "Add a topic"), form);
            return { search, list, detail, brokers };
          }

          function input(name, label) {
            return el("label", {}, label, el("input", { type: "text", name, id: "topic-add-" + name }));
          }

          // A deployment's state: in service, soft-deleted (restorable) or removed (being dropped, for good).
          function state(deployment) {
            return ["online", "deleted", "removed"][deployment.topicStatusId] || "removed";
          }

          // A topic's state: online while one deployment is, else deleted while one can be restored, else
          // removed (no deployment left, or all being dropped).
          function topicState(topic) {
            const states = topic.topicInfo.map(state);
            return states.includes("online") ? "online" : states.includes("deleted") ? "deleted" : "removed";
          }

          function render() {
            const wanted = built.search.value.trim().toLowerCase();
            const shown = topics.filter((t) => wanted === "" || t.topicName.toLowerCase().includes(wanted));
            if (shown.length === 0) {
              built.list.replaceChildren(el("p", { class: "empty" }, wanted === "" ? "No topic is deployed." : "No topic matches."));
              return;
            }
            built.list.replaceChildren(table(["topic", "brokers", "partitions (configured)", "partitions (running)",
              "publish", "subscribe", "state"], shown.map((t) => el("tr", {},
              el("td", {}, el("button", { type: "button", class: "link", onclick: () => open(t.topicName) }, t.topicName)),
              el("td", {}, t.topicInfo.map((d) => d.brokerId + " (" + d.brokerIp + ":" + d.brokerPort + ")").join(", ")),
              el("td", { class: "num" }, t.totalCfgNumPart), el("td", { class: "num" }, t.totalRunNumPartCount),
              el("td", {}, yesNo(t.isSrvAcceptPublish)), el("td", {}, yesNo(t.isSrvAcceptSubscribe)),
              el("td", {}, stateBadge(topicState(t))))), "topic-table"));
          }

          function open(name) {
            opened = name;
            const topic = topics.find((t) => t.topicName === name);
            if (!topic) {
              built.detail.replaceChildren();
              return;
            }
            // One column per broker, one row per setting: every setting of a deployment fits the page.
            const deployments = topic.topicInfo;
            const cells = (make) => deployments.map((d) => el("td", { "data-broker": d.brokerId }, make(d)));
            const rows = [
              el("tr", {}, el("th", {}, "address"), cells((d) => d.brokerIp + ":" + d.brokerPort)),
              el("tr", {}, el("th", {}, "state"), cells((d) => stateBadge(state(d)))),
              settings.map((key) => el("tr", {}, el("th", {}, key), cells((d) => el("input", { type: "text", name: key,
                value: d[key], class: key === "deletePolicy" ? "wide" : null, "aria-label": key + " on broker " + d.brokerId })))),
              ["acceptPublish", "acceptSubscribe"].map((key) => el("tr", {}, el("th", {}, key), cells((d) =>
                el("select", { name: key, "aria-label": key + " on broker " + d.brokerId },
                  el("option", { value: "true", selected: d[key] === true }, "yes"),
                  el("option", { value: "false", selected: d[key] !== true }, "no"))))),
              el("tr", {}, el("th", {}), cells((d) => el("button", { type: "button", class: "primary", onclick: async () => {
                const params = { topicName: name, brokerId: d.brokerId };
                const column = [...built.detail.querySelectorAll("td[data-broker='" + d.brokerId + "'] [name]")];
                for (const field of column) params[field.name] = field.value;
                if (await change("Modify " + name + " on broker " + d.brokerId, "admin_modify_topic_info", params)) {
                  await tube.reload("topics");
                }
              } }, "Save"))),
            ];
            // What each broker stores of the topic (filled in when the brokers answer).
            const storage = { offsets: el("tr", {}, el("th", {}, "stored offsets"), cells(() => "…")),
              disk: el("tr", {}, el("th", {}, "on disk"), cells(() => "…")),
              memory: el("tr", {}, el("th", {}, "in memory"), cells(() => "…")) };
            rows.splice(2, 0, storage.offsets, storage.disk, storage.memory);
            loadStorage(name, deployments, storage);
            // Delete what is in service, restore what is soft-deleted; a removed deployment has neither.
            const on = (wanted) => deployments.filter((d) => state(d) === wanted).map((d) => d.brokerId).join(",");
            const brokerIds = on("online");
            const deletedIds = on("deleted");
            built.detail.replaceChildren(el("h3", {}, "Topic " + name + " per broker"),
              table(["broker", ...deployments.map((d) => String(d.brokerId))], rows, "deploy-table"),
              el("div", { class: "panel" }, deletedIds !== ""
                && el("button", { type: "button", id: "topic-restore", onclick: async () => {
                  if (await change("Restore " + name, "admin_redo_deleted_topic_info", { topicName: name, brokerId: deletedIds })) {
                    await tube.reload("topics");
                  }
                } }, "Restore"),
                brokerIds !== "" && el("button", { type: "button", class: "danger", id: "topic-delete", onclick: async () => {
                  if (!window.confirm("Stop publishing and subscribing to topic " + name + " on brokers " + brokerIds
                    + ", then soft-delete it?")) return;
                  // The master deletes only a deployment that neither publishes nor subscribes.
                  if (await change("Stop " + name, "admin_modify_topic_info",
                      { topicName: name, brokerId: brokerIds, acceptPublish: "false", acceptSubscribe: "false" })
                    && await change("Delete " + name, "admin_delete_topic_info", { topicName: name, brokerId: brokerIds })) {
                    await tube.reload("topics");
                  }
                } }, "Soft delete"),
                el("span", { class: "note" }, "Brokers take a change at their next heartbeat; no reload is needed.")));
          }

          // Per broker: the stores' offset ranges, bytes on disk, and messages and bytes in memory blocks
          // (broker `admin_query_broker_all_store_info` and `admin_query_broker_memstore_info`).
          function loadStorage(name, deployments, storage) {
            deployments.forEach(async (d, index) => {
              const set = (row, text) => { row.children[index + 1].textContent = text; };
              try {
                const [stores, memory] = await Promise.all([
                  tube.brokerCall(d.brokerId, "admin_query_broker_all_store_info", { topicName: name }),
                  tube.brokerCall(d.brokerId, "admin_query_broker_memstore_info", { topicName: name })]);
                const infos = ((stores.dataSet || [])[0] || {}).storeInfo || [];
                const cached = ((memory.dataSet || [])[0] || {}).memStoreInfo || [];
                set(storage.offsets, infos.map((s) => "store " + s.storeId + ": " + ((s.partitionInfo || [])[0] || {}).minOffset
                  + "–" + ((s.partitionInfo || [])[0] || {}).maxOffset).join(", ") || "-");
                const disk = infos.reduce((sum, s) => sum + s.sizeInBytes
                  + (s.partitionInfo || []).slice(0, 1).reduce((n, p) => n + p.sizeInBytes, 0), 0);
                set(storage.disk, disk.toLocaleString() + " bytes");
                set(storage.memory, cached.reduce((n, s) => n + s.cachedMsgCount, 0).toLocaleString() + " messages, "
                  + cached.reduce((n, s) => n + s.cachedMsgSize, 0).toLocaleString() + " bytes");
              } catch (error) {
                for (const row of [storage.offsets, storage.disk, storage.memory]) set(row, "broker did not answer: " + error.message);
              }
            });
          }

          page("topics", async (section) => {
            built = built || build(section);
            const [topicReply, brokerReply] = await Promise.all([
              query("admin_query_topic_info", {}), query("admin_query_broker_configure", {})]);
            topics = (topicReply.data || []).map((t) => ({ ...t, topicInfo: t.topicInfo || [] }))
              .sort((a, b) => a.topicName.localeCompare(b.topicName));
            const checked = new Set([...built.brokers.querySelectorAll("input:checked")].map((box) => box.value));
            built.brokers.replaceChildren(...(brokerReply.data || []).map((b) => el("label", {},
              el("input", { type: "checkbox", value: b.brokerId, checked: checked.has(String(b.brokerId)),
                id: "topic-add-broker-" + b.brokerId }),
              b.brokerId + " (" + b.brokerIp + ", " + b.manageStatus + ")")));
            render();
            if (opened) open(opened);
          });
        })();

        """#
}
