/// The cluster page: the master(s) and their role; the brokers in every life-cycle state with the
/// management columns, and the actions add, online, offline, read/write, reload and delete.
enum ConsoleClusterScript {
    static let text = #"""
        "use strict";
        (() => {
          const { el, table, query, change, page, yesNo, stateBadge, fields } = tube;
          let built = null;

          function build(section) {
            const masters = el("div", { id: "master-list" });
            const brokers = el("div", { id: "broker-list" });
            const actions = el("div", { class: "panel", id: "broker-actions" },
              el("span", { class: "note" }, "Selected brokers:"),
              action("Online", "admin_online_broker_configure"),
              action("Offline", "admin_offline_broker_configure"),
              action("Reload", "admin_reload_broker_configure"),
              el("label", {}, "read/write ",
                el("select", { id: "broker-rw" },
                  el("option", { value: "true,true" }, "read and write"),
                  el("option", { value: "false,true" }, "read only"),
                  el("option", { value: "true,false" }, "write only"),
                  el("option", { value: "false,false" }, "neither"))),
              el("button", { type: "button", id: "broker-set-rw", onclick: setReadWrite }, "Set"),
              el("button", { type: "button", class: "danger", id: "broker-delete", onclick: deleteBrokers }, "Delete"));
            const form = el("form", { class: "panel", id: "broker-add" },
              input("brokerId", "broker id (blank: from IP)"), input("brokerIp", "IP"), input("brokerPort", "port"),
              input("numPartitions", "partitions per store"), input("numTopicStores", "stores"),
              input("deletePolicy", "deletePolicy"),
              el("button", { type: "submit", class: "primary" }, "Add broker"));
            form.addEventListener("submit", async (event) => {
              event.preventDefault();
              if (await change("Add broker", "admin_add_broker_configure", fields(form))) await tube.reload("cluster");
            });
            section.append(el("h2", {}, "Masters"), masters, el("h2", {}, "Brokers"), brokers, actions,
              el("p", { class: "note" }, "Reload in batches: a reloading broker stops reading and writing, so wait until "
                + "a batch runs again before the next. A highlighted broker is in service but not running."),
              el("h3", {}, "Add a broker (draft until brought online)"), form);
            return { masters, brokers };
          }

          function input(name, label) {
            return el("label", {}, label, el("input", { type: "text", name, id: "broker-add-" + name }));
          }

          function selected() {
            return [...document.querySelectorAll("#broker-list input.pick:checked")].map((box) => box.value);
          }

          async function onSelected(what, method, extra) {
            const ids = selected();
            if (ids.length === 0) {
              tube.status(what + ": select brokers first", "error");
              return;
            }
            if (await change(what + " broker " + ids.join(","), method, { brokerId: ids.join(","), ...extra })) {
              await tube.reload("cluster");
            }
          }

          function action(label, method) {
            return el("button", { type: "button", id: "broker-" + label.toLowerCase(), onclick: () => onSelected(label, method) },
              label);
          }

          function setReadWrite() {
            const [acceptPublish, acceptSubscribe] = document.getElementById("broker-rw").value.split(",");
            return onSelected("Read/write", "admin_set_broker_read_or_write", { acceptPublish, acceptSubscribe });
          }

          function deleteBrokers() {
            if (selected().length > 0 && !window.confirm("Delete the selected broker records?")) {
              tube.status("", "");
              return;
            }
            return onSelected("Delete", "admin_delete_broker_configure");
          }

          async function renderMasters(box) {
            let reply = null;
            try {
              reply = await query("admin_query_master_group_info", {});
            } catch (error) {
              if (error.unanswered) {
                // Nothing is known of the masters while this one does not answer.
                box.replaceChildren(table(["node", "role"], [el("tr", {}, el("td", {}, location.host),
                  el("td", {}, stateBadge("unknown")))], "master-table"),
                  el("p", { class: "note" }, "This master did not answer: " + error.message));
                return;
              }
              reply = null;
            }
            const nodes = (reply && reply.data) || [];
            if (nodes.length === 0) {
              // No HA group (a master on its own store): this node answers, so it is the active one.
              box.replaceChildren(table(["node", "role"], [el("tr", {}, el("td", {}, location.host),
                el("td", {}, stateBadge("active")))], "master-table"),
                el("p", { class: "note" }, "This master answers the webapi, so it is the active one."));
              return;
            }
            const rows = nodes.map((node) => {
              const active = node.statusInfo && node.statusInfo.nodeStatus === "Master";
              const joined = node.statusInfo && node.statusInfo.joinTime
                ? new Date(node.statusInfo.joinTime).toLocaleString() : "-";
              return el("tr", {}, el("td", {}, node.name), el("td", {}, node.hostName), el("td", { class: "num" }, node.port),
                el("td", {}, stateBadge(active ? "active" : "standby")), el("td", {}, joined));
            });
            const parts = [table(["node", "host", "port", "role", "joined"], rows, "master-table"),
              el("p", { class: "note" }, reply.groupName + ": " + reply.groupStatus)];
            if (nodes.length > 1) {
              parts.push(el("button", { type: "button", id: "master-switch", onclick: switchMaster },
                "Switch the active master"));
            }
            box.replaceChildren(...parts);
          }

          // The active master hands over to the next one in the election and becomes a standby; this
          // page then reloads, and (served by a standby now) links to the new active master's console.
          async function switchMaster() {
            if (!window.confirm("Make the next master in the election the active one?")) return;
            if (await change("Switch the active master", "admin_transfer_current_master", {})) {
              tube.status("The active role moves to the next master; this page reloads in a moment.", "");
              setTimeout(() => location.reload(), 2000);
            }
          }

          page("cluster", async (section) => {
            built = built || build(section);
            await renderMasters(built.masters);
            const [configured, running] = await Promise.all([
              query("admin_query_broker_configure", {}), query("admin_query_broker_run_status", {})]);
            const run = new Map((running.data || []).map((b) => [b.brokerId, b]));
            const rows = (configured.data || []).map((b) => {
              const r = run.get(b.brokerId) || {};
              // In service but not running (not registered, or stuck reloading): needs an operator's look.
              const inService = ["online", "only-read", "only-write"].includes(b.manageStatus);
              return el("tr", { class: inService && r.runStatus !== "running" ? "attention" : null },
                el("td", {}, el("input", { type: "checkbox", class: "pick", value: b.brokerId,
                  "aria-label": "select broker " + b.brokerId })),
                el("td", { class: "num" }, b.brokerId), el("td", {}, b.brokerIp), el("td", { class: "num" }, b.brokerPort),
                el("td", {}, stateBadge(b.manageStatus)),
                el("td", {}, yesNo(r.isBrokerOnline)), el("td", {}, r.runStatus || "-"), el("td", {}, r.subStatus || "-"),
                // What the broker serves now (its run status, from manageStatus), not its topic defaults.
                el("td", {}, yesNo(r.acceptSubscribe)), el("td", {}, yesNo(r.acceptPublish)),
                el("td", {}, yesNo(b.isConfChanged)), el("td", {}, yesNo(b.isConfLoaded)),
                el("td", { class: "num" }, b.numPartitions), el("td", { class: "num" }, b.numTopicStores),
                el("td", {}, b.deletePolicy));
            });
            built.brokers.replaceChildren(rows.length === 0 ? el("p", { class: "empty" }, "No broker is configured.")
              : table(["", "id", "IP", "port", "state", "registered", "run", "busy", "readable", "writable",
                "conf changed", "conf loaded", "partitions", "stores", "deletePolicy"], rows, "broker-table"));
          });
        })();

        """#
}
