/// The console's shared script: the webapi call, the status line, DOM helpers that only ever set
/// text (never markup from data), and the tab router.
enum ConsoleCoreScript {
    static let text = #"""
        "use strict";
        // window.tube: what the page scripts share.
        const tube = (() => {
          const pages = {};

          // Builds an element; children are nodes or values shown as text (never parsed as markup).
          function el(tag, attrs, ...children) {
            const node = document.createElement(tag);
            for (const [key, value] of Object.entries(attrs || {})) {
              if (value === undefined || value === null || value === false) continue;
              if (key === "class") node.className = value;
              else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
              else if (key === "value") node.value = value;
              else if (key === "checked") node.checked = true;
              else node.setAttribute(key, value === true ? "" : String(value));
            }
            for (const child of children.flat(Infinity)) {
              if (child === undefined || child === null || child === false) continue;
              node.append(child instanceof Node ? child : String(child));
            }
            return node;
          }

          function table(headers, rows, id) {
            return el("table", { id },
              el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
              el("tbody", {}, rows));
          }

          function status(text, kind) {
            const box = document.getElementById("status");
            box.textContent = text;
            box.className = kind || "";
          }

          // One webapi call. The method goes in the query string (it survives a standby's redirect);
          // the other parameters, the token among them, go in a form body.
          async function call(method, params, modify) {
            const url = "/webapi.htm?" + new URLSearchParams({ type: modify ? "op_modify" : "op_query", method });
            const body = new URLSearchParams();
            for (const [key, value] of Object.entries(params || {})) {
              if (value !== undefined && value !== null && String(value).trim() !== "") body.set(key, String(value));
            }
            if (modify) {
              const token = document.getElementById("token").value;
              if (token !== "") body.set("confModAuthToken", token);
              body.set("createUser", "webapi");
              body.set("modifyUser", "webapi");
            }
            let response;
            try {
              response = await fetch(url, { method: "POST", body });
            } catch (error) {
              throw new Error("the master did not answer (" + error.message + ")");
            }
            if (!response.ok) throw new Error("the master answered HTTP " + response.status);
            return response.json();
          }

          // A query: its reply, or an Error carrying the webapi's errMsg.
          async function query(method, params) {
            const reply = await call(method, params, false);
            if (!reply.result) throw new Error(reply.errMsg);
            return reply;
          }

          // A change: shows the webapi's refusal (its errMsg, or each refused record's errInfo) or
          // success in the status line, and answers whether every record succeeded.
          async function change(what, method, params) {
            status(what + "…", "");
            try {
              const reply = await call(method, params, true);
              if (!reply.result) {
                status(what + " refused: " + reply.errMsg, "error");
                return false;
              }
              const refused = (reply.data || []).filter((item) => item && item.success === false);
              if (refused.length > 0) {
                const reasons = refused.map((item) => (item.brokerId !== undefined ? "broker " + item.brokerId + ": " : "")
                  + item.errInfo);
                status(what + " refused: " + reasons.join("; "), "error");
                return false;
              }
              status(what + ": done", "ok");
              return true;
            } catch (error) {
              status(what + " failed: " + error.message, "error");
              return false;
            }
          }

          function page(name, load) {
            pages[name] = load;
          }

          async function show() {
            const name = pages[location.hash.slice(1)] ? location.hash.slice(1) : "groups";
            for (const key of Object.keys(pages)) {
              document.getElementById("page-" + key).hidden = key !== name;
              document.getElementById("nav-" + key).classList.toggle("current", key === name);
            }
            await reload(name);
          }

          async function reload(name) {
            const section = document.getElementById("page-" + name);
            try {
              await pages[name](section);
            } catch (error) {
              status("Loading " + name + " failed: " + error.message, "error");
            }
          }

          // One broker webapi call through the master (`/broker-webapi.htm`); answers the reply or throws
          // its errMsg. With a `token` (a change) it sends it as confModAuthToken, with modifyUser.
          async function brokerCall(brokerId, method, params, token) {
            const body = new URLSearchParams({ brokerId: String(brokerId), method });
            for (const [key, value] of Object.entries(params || {})) body.set(key, String(value));
            if (token !== undefined) {
              if (token !== "") body.set("confModAuthToken", token);
              body.set("modifyUser", "webapi");
            }
            let response;
            try {
              response = await fetch("/broker-webapi.htm", { method: "POST", body });
            } catch (error) {
              throw new Error("the master did not answer (" + error.message + ")");
            }
            if (!response.ok) throw new Error("the master answered HTTP " + response.status);
            const reply = await response.json();
            if (!reply.result) throw new Error(reply.errMsg);
            return reply;
          }

          function yesNo(value) {
            if (value === true || value === "true") return "yes";
            if (value === false || value === "false") return "no";
            return value === undefined || value === null ? "-" : String(value);
          }

          function stateBadge(state) {
            return el("span", { class: "state state-" + String(state).replace(/[^a-z-]/g, "") }, state);
          }

          // The text fields of a form as parameters (blank ones left out: the webapi's defaults apply).
          function fields(form) {
            const params = {};
            for (const input of form.querySelectorAll("input[name], select[name]")) {
              if (input.type === "checkbox") continue;
              if (input.value.trim() !== "") params[input.name] = input.value.trim();
            }
            return params;
          }

          window.addEventListener("hashchange", show);
          document.addEventListener("DOMContentLoaded", show);
          return { el, table, status, query, change, brokerCall, page, reload, yesNo, stateBadge, fields };
        })();

        """#
}
