/// The console's shared script: the webapi call, the status line, DOM helpers that only ever set
/// text (never markup from data), and the tab router.
enum ConsoleCoreScript {
    static let text = #"""
        "use strict";
        // window.tube: what the page scripts share.
        const tube = (() => {
          const pages = {};
          // How long a request may take, answer included: the master's webapi, the master's broker
          // forwarder (which gives up after 10 s itself), a broker's /metrics.
          const MASTER_TIMEOUT_MS = 10000;
          const FORWARD_TIMEOUT_MS = 15000;
          const METRICS_TIMEOUT_MS = 5000;

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

          // fetch with a deadline over the whole exchange, body included: answers { ok, status, text }, or
          // throws (a network error, or no answer within `ms`).
          async function fetchText(url, options, ms) {
            const controller = new AbortController();
            const timer = setTimeout(() => controller.abort(), ms);
            try {
              const response = await fetch(url, { ...options, signal: controller.signal });
              return { ok: response.ok, status: response.status, text: await response.text() };
            } catch (error) {
              throw new Error(controller.signal.aborted ? "no answer within " + ms / 1000 + " s" : error.message);
            } finally {
              clearTimeout(timer);
            }
          }

          // The master did not answer (network error, timeout, HTTP error): `unanswered` tells it
          // from a refusal the webapi answered.
          function unanswered(text) {
            const error = new Error(text);
            error.unanswered = true;
            return error;
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
              response = await fetchText(url, { method: "POST", body }, MASTER_TIMEOUT_MS);
            } catch (error) {
              throw unanswered("the master did not answer (" + error.message + ")");
            }
            if (!response.ok) throw unanswered("the master answered HTTP " + response.status);
            return JSON.parse(response.text);
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
              // 403 "Data not changed": the record already is as asked, which is not a refusal.
              const items = reply.data || [];
              const unchanged = items.filter((item) => item && item.success === false && item.errCode === 403);
              const refused = items.filter((item) => item && item.success === false && item.errCode !== 403);
              if (refused.length > 0) {
                const reasons = refused.map((item) => (item.brokerId !== undefined ? "broker " + item.brokerId + ": " : "")
                  + item.errInfo);
                status(what + " refused: " + reasons.join("; "), "error");
                return false;
              }
              status(what + (unchanged.length > 0 && unchanged.length === items.length ? ": nothing to change" : ": done"), "ok");
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
            status("", "");
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

          // A broker's /metrics page (Prometheus text), read from its web port: over HTTPS (its web TLS port,
          // when the master reports one) when this page is HTTPS, as a browser blocks HTTP from it.
          async function metrics(broker) {
            const secure = location.protocol === "https:" && Number(broker.brokerWebTLSPort) > 0;
            const url = (secure ? "https://" : "http://") + broker.brokerIp + ":"
              + (secure ? broker.brokerWebTLSPort : broker.brokerWebPort) + "/metrics";
            const response = await fetchText(url, { cache: "no-store" }, METRICS_TIMEOUT_MS);
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.text;
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
              response = await fetchText("/broker-webapi.htm", { method: "POST", body }, FORWARD_TIMEOUT_MS);
            } catch (error) {
              throw unanswered("the master did not answer (" + error.message + ")");
            }
            if (!response.ok) throw unanswered("the master answered HTTP " + response.status);
            const reply = JSON.parse(response.text);
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
          return { el, table, status, query, change, brokerCall, metrics, page, reload, yesNo, stateBadge, fields };
        })();

        """#
}
