# Sourced by tests/deploy/rehearsal.sh: the stages of a site on several hosts, deployed by
# the same playbook with an inventory of five "hosts", each a loopback address of its
# own (127.0.0.21-25) with its own sshd, home directory and (app hosts) podman store:
#   edge      [proxy] nginx with a certificate from pebble (a local ACME server) by certbot,
#             then HAProxy sending each request to an app host whose /readyz answers 200
#   app1 app2 [app]   blue/green releases behind their own nginx, HAProxy to the database
#   db1 db2   [database] PostgreSQL under Patroni, a primary and a synchronous standby
#   (etcd on db1, db2 and edge: losing one of the three keeps a quorum)
# Stages:
#   https             the first deploy of the whole site; HTTP -> HTTPS, HSTS, TLS 1.2+,
#                     HTTP/2, gzip, Secure cookies, https:// login links, each client's own
#                     address seen by the app; a forced renewal
#   several-hosts     both app hosts get traffic; one says it is not ready (/readyz 503)
#                     while still serving: the balancer's check takes it out (no request
#                     reaches it) and puts it back; then one goes down under load: 0 failed
#                     requests; the playbook brings it back and it gets traffic again
#   rolling-release   a new image, one host at a time, under load through HTTPS: 0 failed,
#                     every acknowledged write kept; then rollback=true of the whole fleet
#   database-failover the primary killed under load: writes resume within 30 s, the app
#                     answers 503 + Retry-After meanwhile (never a 500 or a hang), no app
#                     process dies, every acknowledged write kept; the playbook brings the
#                     old primary back as a standby; the backup runs on the new primary
# Uses from rehearsal.sh: tmp, deployer, report, begin, took, log, show_log, wait_until,
# stop_pid, remove_store, in_store, image_id, free_port, start_throwaway_sshd, the images.

fleet=$tmp/fleet
domain=superlists.test
fleet_names=(edge app1 app2 db1 db2)
declare -A fleet_address=([edge]=127.0.0.21 [app1]=127.0.0.22 [app2]=127.0.0.23 [db1]=127.0.0.24 [db2]=127.0.0.25)
declare -A fleet_ssh_port=() fleet_ssh_opts=()
fleet_pids=()
edge_address=${fleet_address[edge]}

# Run on a fleet host, as root, over its sshd: on_fleet HOST COMMAND...
on_fleet() {
  local host=$1
  shift
  # shellcheck disable=SC2086 # the options are words
  ssh ${fleet_ssh_opts[$host]} "root@${fleet_address[$host]}" "$@"
}
fleet_podman() { # HOST PODMAN_ARGS...
  local host=$1
  shift
  on_fleet "$host" "$(printf '%q ' podman "$@")"
}
fleet_live() { echo "superlists-$(on_fleet "$1" cat "$fleet/$1/home/superlists/live-release" | cut -d' ' -f1)"; }
fleet_playbook() { # LOG EXTRA_ARGS...
  local log=$1
  shift
  ansible-playbook -i "$fleet/inventory/hosts.ini" infra/deploy-playbook.yaml "$@" >"$log" 2>&1
}
https_url=''
# curl as the site's visitors: the pebble root trusted, the site's name at the edge (set in make_fleet).
curl_site_args=()
curl_site() { curl "${curl_site_args[@]}" "$@"; }
patroni_api() { curl -fsS "http://${fleet_address[$1]}:$patroni_api_port/$2"; }
primary_node() {
  local db
  for db in db1 db2; do patroni_api "$db" primary >/dev/null 2>&1 && echo "$db" && return 0; done
  return 1
}

cleanup_fleet() {
  local host dir pid
  [ -d "$fleet" ] || return 0
  for host in "${fleet_names[@]}"; do
    dir=$fleet/$host
    [ -f "$dir/nginx/nginx.pid" ] && nginx -c "$dir/nginx/nginx.conf" -s quit 2>/dev/null
    for pid in "$dir"/haproxy/haproxy.pid "$dir"/edge/haproxy/haproxy.pid "$dir"/patroni/patroni.pid "$dir"/etcd/etcd.pid; do
      [ -f "$pid" ] && stop_pid "$(cat "$pid")"
    done
    # A postgres whose Patroni was killed (the failover stage) is still there: stop it too.
    pid=$(head -n 1 "$dir/patroni/data/postmaster.pid" 2>/dev/null)
    [ -n "$pid" ] && stop_pid "$pid"
  done
  for pid in "${fleet_pids[@]}"; do stop_pid "$pid"; done
  for socket in "$tmp"/ssh-*; do [ -S "$socket" ] && ssh -o ControlPath="$socket" -O exit fleet 2>/dev/null; done
  for host in app1 app2; do remove_store "$fleet/$host/store"; done
}

# --- the ACME server: pebble, its DNS (pebble-challtestsrv) saying every name is the edge ---
start_acme_server() {
  local dir=$tmp/pebble dns_port
  mkdir -p "$dir"
  acme_port=$(free_port) acme_management_port=$(free_port) dns_port=$(free_port)
  # pebble's own HTTPS (its API) needs a certificate: a throwaway CA made here.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=rehearsal-acme-ca \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null &&
    openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$dir/key.pem" -out "$dir/server.csr" 2>/dev/null &&
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
      -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n') -out "$dir/cert.pem" 2>/dev/null || return 1
  cat >"$dir/config.json" <<EOF
{"pebble": {
  "listenAddress": "127.0.0.1:$acme_port",
  "managementListenAddress": "127.0.0.1:$acme_management_port",
  "certificate": "$dir/cert.pem",
  "privateKey": "$dir/key.pem",
  "httpPort": $http_port,
  "tlsPort": $https_port,
  "ocspResponderURL": "",
  "externalAccountBindingRequired": false
}}
EOF
  pebble-challtestsrv -defaultIPv4 "$edge_address" -defaultIPv6 '' -dns01 "127.0.0.1:$dns_port" \
    -http01 '' -https01 '' -tlsalpn01 '' -management "127.0.0.1:$(free_port)" >"$dir/dns.log" 2>&1 &
  fleet_pids+=($!)
  PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 pebble -config "$dir/config.json" -dnsserver "127.0.0.1:$dns_port" \
    >"$dir/pebble.log" 2>&1 &
  fleet_pids+=($!)
  wait_until 20 curl -fsS --cacert "$dir/ca.pem" -o "$dir/root.pem" "https://127.0.0.1:$acme_management_port/roots/0"
}

# --- the hosts and the inventory ---
make_fleet() {
  # (start_throwaway_sshd sets these globals: the staging host's stay as they were.)
  local host dir address env_line sshd_pid ssh_port ssh_opts
  mkdir -p "$fleet/inventory/host_vars"
  # Patroni runs as postgres, under the database hosts' directories.
  chmod 711 "$tmp" "$fleet"
  http_port=$(free_port) https_port=$(free_port) app_nginx_port=$(free_port)
  postgres_port=$(free_port) patroni_api_port=$(free_port) etcd_client_port=$(free_port) etcd_peer_port=$(free_port)
  database_endpoint_port=$(free_port) edge_haproxy_port=$(free_port)
  https_url=https://$domain:$https_port
  curl_site_args=(-sS --cacert "$tmp/pebble/root.pem" --resolve "$domain:$https_port:$edge_address" --resolve "$domain:$http_port:$edge_address")
  start_acme_server || return 1
  for host in "${fleet_names[@]}"; do
    dir=$fleet/$host address=${fleet_address[$host]}
    mkdir -p "$dir/home" "$dir/nginx/sites"
    chmod 711 "$dir"
    env_line="HOME=$dir/home PATH=$dir/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    if [[ $host == app* ]]; then
      bash "$here/podman-store.sh" "$dir/store"
      env_line+=" CONTAINERS_CONF=$dir/store/containers.conf CONTAINERS_STORAGE_CONF=$dir/store/storage.conf"
    fi
    start_throwaway_sshd "$dir" deployer_key "SetEnv $env_line" "$address" || return 1
    fleet_pids+=("$sshd_pid")
    fleet_ssh_port[$host]=$ssh_port
    fleet_ssh_opts[$host]="-n -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$dir/known_hosts -i $dir/deployer_key -p $ssh_port"
    write_nginx_conf "$dir/nginx"
    cat >"$fleet/inventory/host_vars/$host.json" <<EOF
{
  "ansible_host": "$address",
  "ansible_port": $ssh_port,
  "ansible_ssh_private_key_file": "$dir/deployer_key",
  "ansible_ssh_common_args": "-o StrictHostKeyChecking=yes -o UserKnownHostsFile=$dir/known_hosts",
  "nginx_args": ["-c", "$dir/nginx/nginx.conf"],
  "nginx_pid_file": "$dir/nginx/nginx.pid",
  "proxy_site_file": "$dir/nginx/sites/superlists.conf",
  "edge_site_file": "$dir/nginx/sites/superlists-edge.conf",
  "proxy_listen": "$address:$app_nginx_port",
  "release_address": "$address",
  "haproxy_dir": "$dir/haproxy",
  "etcd_dir": "$dir/etcd",
  "patroni_dir": "$dir/patroni",
  "edge_dir": "$dir/edge",
  "backup_cron_file": "$dir/cron.d-superlists-backup",
  "renew_cron_file": "$dir/cron.d-superlists-certificate",
  "local_image_archive": "$deployer/image-$host.tar"
}
EOF
  done
  cat >"$fleet/inventory/hosts.ini" <<EOF
[proxy]
edge

[app]
app1
app2

[database]
db1
db2

[etcd]
db1
db2
edge
EOF
  cat >"$fleet/inventory/group_vars.json" <<EOF
{
  "ansible_user": "root",
  "install_packages": false,
  "container_engine": "podman",
  "build_image": false,
  "superlists_role": "staging",
  "email_capture_dir": "/data/emails",
  "email_host": "127.0.0.1",
  "email_port": $smtp_port,
  "email_host_user": "$smtp_user",
  "email_use_tls": false,
  "allowed_host": "$domain",
  "domain": "$domain",
  "release_network": "host",
  "release_ports": { "blue": $(free_port), "green": $(free_port) },
  "readiness_timeout": 30,
  "database_network": "127.0.0.0/8",
  "postgres_port": $postgres_port,
  "patroni_api_port": $patroni_api_port,
  "patroni_ttl": 10,
  "patroni_loop_wait": 1,
  "patroni_retry_timeout": 4,
  "etcd_client_port": $etcd_client_port,
  "etcd_peer_port": $etcd_peer_port,
  "database_endpoint_port": $database_endpoint_port,
  "edge_haproxy_port": $edge_haproxy_port,
  "acme_directory": "https://127.0.0.1:$acme_port/dir",
  "acme_ca_bundle": "$tmp/pebble/ca.pem",
  "http_listen": "$edge_address:$http_port",
  "https_listen": "$edge_address:$https_port"
}
EOF
  mkdir -p "$fleet/inventory/group_vars"
  mv "$fleet/inventory/group_vars.json" "$fleet/inventory/group_vars/all.json"
}

# The served certificate's serial number.
served_serial() {
  openssl s_client -connect "$edge_address:$https_port" -servername "$domain" </dev/null 2>/dev/null |
    openssl x509 -noout -serial 2>/dev/null
}

start_fleet_load() { # LOG EXTRA_ARGS...
  local log=$1
  shift
  NODE_EXTRA_CA_CERTS=$tmp/pebble/root.pem node "$here/load-loop.ts" "$https_url" --visitors 4 --max-seconds 300 \
    --resolve "$domain:$edge_address" "$@" >"$log" 2>&1 &
  load_pid=$!
  wait_until 60 grep -qx running "$log"
}

# HOST: the requests its nginx answered, the load balancer's /readyz checks left out.
app_requests() {
  if [ -f "$fleet/$1/nginx/access.log" ]; then grep -cvF '"GET /readyz ' "$fleet/$1/nginx/access.log"; else echo 0; fi
}
requests_above() { [ "$(app_requests "$1")" -gt "$2" ]; } # HOST COUNT
readyz_requests() { grep -cF '"GET /readyz ' "$fleet/$1/nginx/access.log"; } # HOST
readyz_above() { [ "$(readyz_requests "$1")" -gt "$2" ]; } # HOST COUNT
# HOST FIELD: a field of the edge's HAProxy statistics for an app host (or BACKEND: all
# of them), e.g. status (UP or DOWN, from its /readyz checks), chkdown (times it went down).
balancer_stat() {
  echo "show stat" | socat stdio "unix-connect:$fleet/edge/edge/haproxy/admin.sock" |
    awk -F, -v host="$1" -v field="$2" 'NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) column[$i] = i; next }
      $1 == "app_hosts" && $2 == host { print $column[field] }'
}
balancer_state() { balancer_stat "$1" status; } # HOST
balancer_says() { [ "$(balancer_state "$1")" = "$2" ]; } # HOST STATE
# HOST PATH: the HTTP status its own nginx answers, straight, not through the edge.
host_status() {
  curl -sS -o /dev/null -w '%{http_code}' -H "Host: $domain" "http://${fleet_address[$1]}:$app_nginx_port$2"
}
host_answers() { [ "$(host_status "$1" "$2")" = "$3" ]; } # HOST PATH STATUS

serial_changed() { [ "$(served_serial)" != "$1" ]; }

# URL FIELD=VALUE... [-- CURL_ARGS...]: a form posted through the edge with the CSRF token
# in $csrf; prints where it redirects to.
post_form() {
  local url=$1 fields=()
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    fields+=(--data-urlencode "$1")
    shift
  done
  [ $# -gt 0 ] && shift
  curl_site -o /dev/null -w '%{redirect_url}' -H "Cookie: csrftoken=$csrf" -H "Origin: $https_url" \
    --data-urlencode "csrf_token=$csrf" "${fields[@]}" "$@" "$url"
}

# --- https ---
begin
fleet_ok=false
if ! $build_ok; then
  report FAIL https "no image to deploy"
elif ! make_fleet >"$tmp/fleet-setup.log" 2>&1; then
  show_log "$tmp/fleet-setup.log"
  show_log "$tmp/pebble/pebble.log"
  report FAIL https "could not set up the hosts or the ACME server"
elif ! fleet_playbook "$tmp/fleet-deploy-1.log" -e "image=$image_v1"; then
  show_log "$tmp/fleet-deploy-1.log" 60
  report FAIL https "ansible-playbook failed on the fleet"
else
  fleet_ok=true
  problems=()
  redirect=$(curl_site -o /dev/null -w '%{http_code} %{redirect_url}' "http://$domain:$http_port/lists/x?a=1")
  [ "$redirect" = "301 $https_url/lists/x?a=1" ] || problems+=("HTTP answers '$redirect', not a 301 to HTTPS")
  curl_site --http2 --compressed -D "$tmp/https-headers.txt" -o /dev/null -w '%{http_version}' "$https_url/" >"$tmp/https-version.txt" ||
    problems+=("no HTTPS answer with the pebble CA trusted")
  [ "$(cat "$tmp/https-version.txt")" = 2 ] || problems+=("not HTTP/2 ($(cat "$tmp/https-version.txt"))")
  grep -qi '^strict-transport-security: max-age=[1-9]' "$tmp/https-headers.txt" || problems+=("no HSTS")
  grep -qi '^content-encoding: gzip' "$tmp/https-headers.txt" || problems+=("the HTML is not gzipped")
  grep -i '^set-cookie: csrftoken=' "$tmp/https-headers.txt" | grep -qi '; *secure' || problems+=("the CSRF cookie is not Secure")
  openssl s_client -connect "$edge_address:$https_port" -servername "$domain" -tls1_2 </dev/null >/dev/null 2>&1 ||
    problems+=("TLS 1.2 refused")
  ! openssl s_client -connect "$edge_address:$https_port" -servername "$domain" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null >/dev/null 2>&1 ||
    problems+=("TLS 1.1 accepted")
  # A login email: its link is https:// on the site's name.
  csrf=$(grep -i '^set-cookie: csrftoken=' "$tmp/https-headers.txt" | sed -E 's/^[^=]*=([^;]*).*/\1/' | tr -d '\r')
  post_form "$https_url/accounts/send_login_email" email=https-check@example.com next=/ >/dev/null
  link=''
  for host in app1 app2; do
    link+=$(fleet_podman "$host" exec "$(fleet_live "$host")" superlists emails --to https-check@example.com --last 2>/dev/null | tail -n 1)
  done
  [[ $link == "$https_url/"* ]] || problems+=("the login link is '$link', not $https_url/...")
  # Each client's own address reaches the app (TRUST_PROXY: the last X-Forwarded-For entry)
  # through nginx, HAProxy and the app host's nginx: the login-email cooldown one client
  # meets, forged header or not, does not hold back another.
  ask_login_email() { post_form "$https_url/accounts/send_login_email" email=client-address@example.com next=/ -- "$@" >/dev/null; }
  ask_login_email --interface 127.0.0.41
  ask_login_email --interface 127.0.0.41 -H 'X-Forwarded-For: 203.0.113.7'
  ask_login_email --interface 127.0.0.42
  sent=0 refused_from=''
  for host in app1 app2; do
    app_live=$(fleet_live "$host")
    sent=$((sent + $(fleet_podman "$host" exec "$app_live" superlists emails --to client-address@example.com | grep -c '^To: ')))
    refused_from+=$(fleet_podman "$host" logs "$app_live" 2>&1 | grep -F 'login email refused' | grep -oE '"requesterIp":"[^"]*"')
  done
  [ "$sent" = 2 ] && [ "$refused_from" = '"requesterIp":"127.0.0.41"' ] ||
    problems+=("clients 127.0.0.41 (twice, once with a forged X-Forwarded-For) and 127.0.0.42 got $sent login emails, not 2; refused: ${refused_from:-none}")
  # A list's live updates pass every hop as they come: the stream's first event at once,
  # then the refresh that an item added by another request (maybe on the other host) causes.
  list_url=$(post_form "$https_url/lists/new" 'text=Watch it live')
  curl "${curl_site_args[@]}" -N --max-time 60 "${list_url}events" >"$tmp/events.txt" 2>&1 &
  events_pid=$!
  if ! wait_until 10 grep -q '^retry:' "$tmp/events.txt"; then
    problems+=("a list's event stream sent nothing through the edge: $(head -c 200 "$tmp/events.txt")")
  else
    post_form "$list_url" 'text=Seen live' >/dev/null
    wait_until 10 grep -qF 'turbo-stream action="refresh"' "$tmp/events.txt" ||
      problems+=("a list's event stream did not pass on the change an added item made")
  fi
  stop_pid "$events_pid"
  # The secrets the playbook made on the hosts stay there, and every app host signs with the same key.
  cmp -s "$fleet/app1/home/superlists-secret-key" "$fleet/app2/home/superlists-secret-key" ||
    problems+=("the app hosts have different secret keys")
  for secret in $(cat "$fleet/db1/patroni/passwords" "$fleet/app1/home/superlists-secret-key"); do
    ! grep -rqF -e "$secret" "$tmp/fleet-deploy-1.log" "$fleet/inventory" || problems+=("a secret in the playbook output or the inventory")
  done
  # Renewal: scheduled, and rehearsed now.
  serial_before=$(served_serial)
  grep -qF "$fleet/edge/edge/renew-certificate.sh" "$fleet/edge/cron.d-superlists-certificate" || problems+=("no renewal in cron")
  if ! on_fleet edge "$fleet/edge/edge/renew-certificate.sh" --force-renewal --no-random-sleep-on-renew >"$tmp/renew.log" 2>&1; then
    problems+=("the forced renewal failed: $(tail -n 3 "$tmp/renew.log")")
  else
    wait_until 10 serial_changed "$serial_before" || problems+=("nginx still serves the old certificate after the renewal")
  fi
  if [ ${#problems[@]} -eq 0 ]; then
    report PASS https "(certbot + pebble on $domain; 301 to HTTPS, HTTP/2, HSTS, TLS 1.2+ only, gzip, Secure cookie, login link $https_url/…; a list's live updates streamed as they come; the app sees each client's own address; no secret in the output or inventory; forced renewal served ${serial_before#serial=} -> $(served_serial | sed 's/serial=//'); $(took))"
  else
    report FAIL https "$(IFS=';' && echo "${problems[*]}")"
  fi
fi

# --- several-hosts ---
begin
if ! $fleet_ok; then
  report FAIL several-hosts "no fleet deployed"
elif ! start_fleet_load "$tmp/fleet-load-1.log"; then
  show_log "$tmp/fleet-load-1.log"
  report FAIL several-hosts "the load loop did not start"
else
  problems=()
  before1=$(app_requests app1) before2=$(app_requests app2)
  wait_until 30 requests_above app1 "$((before1 + 10))" && wait_until 30 requests_above app2 "$((before2 + 10))" ||
    problems+=("traffic does not reach both app hosts")
  balancer_says app1 UP && balancer_says app2 UP || problems+=("HAProxy does not have both hosts up: $(balancer_state app1) $(balancer_state app2)")
  # app2 says it is not ready (its nginx answers /readyz with 503) while it still serves
  # pages: only the balancer's check can take it out, no request to it fails.
  app2_site=$fleet/app2/nginx/sites/superlists.conf app2_nginx=(nginx -c "$fleet/app2/nginx/nginx.conf")
  cp "$app2_site" "$fleet/app2/site-ready"
  sed -i '/client_max_body_size/a\    location = /readyz { return 503; }' "$app2_site"
  "${app2_nginx[@]}" -t -q && "${app2_nginx[@]}" -s reload 2>/dev/null || problems+=("app2's nginx did not take the failing /readyz")
  not_ready_at=$SECONDS
  wait_until 10 host_answers app2 /readyz 503 || problems+=("app2's /readyz does not answer 503")
  wait_until 20 balancer_says app2 DOWN || problems+=("HAProxy did not take app2 out")
  out_after=$((SECONDS - not_ready_at))
  host_answers app2 / 200 || problems+=("app2 no longer serves / itself ($(host_status app2 /))")
  # Once app1 has served a few more, whatever was under way on app2 has finished.
  out1=$(app_requests app1)
  wait_until 30 requests_above app1 "$((out1 + 10))" || problems+=("app1 does not serve once app2 is out")
  # Three more checks, and it stays out while it fails them.
  held2=$(app_requests app2) out1=$(app_requests app1) checks2=$(readyz_requests app2)
  wait_until 30 readyz_above app2 "$((checks2 + 3))" && wait_until 30 requests_above app1 "$((out1 + 40))" ||
    problems+=("app1 does not serve alone")
  [ "$(app_requests app2)" = "$held2" ] || problems+=("app2 got $(($(app_requests app2) - held2)) requests while out")
  # Ready again: the check puts it back.
  mv "$fleet/app2/site-ready" "$app2_site"
  "${app2_nginx[@]}" -t -q && "${app2_nginx[@]}" -s reload 2>/dev/null || problems+=("app2's nginx did not take its site back")
  ready_at=$SECONDS
  wait_until 20 balancer_says app2 UP || problems+=("HAProxy did not put app2 back")
  in_after=$((SECONDS - ready_at))
  in2=$(app_requests app2)
  wait_until 30 requests_above app2 "$((in2 + 10))" || problems+=("app2 gets no traffic once ready again")
  # app2 goes down (its nginx stops, finishing what it has): the edge sends everything to app1.
  nginx -c "$fleet/app2/nginx/nginx.conf" -s quit 2>/dev/null
  wait_until 20 test ! -f "$fleet/app2/nginx/nginx.pid" || problems+=("app2's nginx did not stop")
  down1=$(app_requests app1)
  wait_until 30 requests_above app1 "$((down1 + 40))" || problems+=("app1 does not serve alone")
  # The playbook again: it starts app2's nginx, and traffic comes back to it.
  fleet_playbook "$tmp/fleet-deploy-2.log" -e "image=$image_v1" || problems+=("the playbook could not bring app2 back")
  back2=$(app_requests app2)
  wait_until 30 requests_above app2 "$((back2 + 10))" || problems+=("app2 gets no traffic after coming back")
  finish_load "$tmp/fleet-load-1.log" || problems+=("load: $load_summary")
  if [ ${#problems[@]} -eq 0 ]; then
    report PASS several-hosts "(app1 and app2 behind the edge; app2's /readyz failing while it served /: out by HAProxy's check in ${out_after} s, 0 requests to it over its next 3 checks, back in ${in_after} s once ready; app2 down then back under load: $(summary_field "$load_summary" requests) requests, 0 failed, $(summary_field "$load_summary" acknowledgedWrites) writes kept; $(took))"
  else
    show_log "$tmp/fleet-deploy-2.log" 30
    report FAIL several-hosts "$(IFS=';' && echo "${problems[*]}")"
  fi
fi

# --- rolling-release ---
begin
if ! $fleet_ok; then
  report FAIL rolling-release "no fleet deployed"
elif ! podman image exists "$image_v2" && ! bash "$here/build-image.sh" "$image_v2" --label superlists.rehearsal=second-release >"$tmp/build-2.log" 2>&1; then
  report FAIL rolling-release "could not build the second release"
elif ! start_fleet_load "$tmp/fleet-load-2.log"; then
  report FAIL rolling-release "the load loop did not start"
else
  problems=()
  fleet_playbook "$tmp/fleet-deploy-3.log" -e "image=$image_v2" || problems+=("the rolling release failed")
  finish_load "$tmp/fleet-load-2.log" || problems+=("load during the release: $load_summary")
  rolling_summary=$load_summary
  # One host at a time: app1 released and its old release stopped before app2 starts.
  order=$(awk '/^TASK \[(Start the new release|Stop the old release)/ { task = ($0 ~ /Start/) ? "start" : "stop" }
    /^changed: \[app[12]\]/ && task { gsub(/[^a-z0-9]/, "", $2); printf "%s:%s ", $2, task; task = "" }' "$tmp/fleet-deploy-3.log")
  [ "$order" = "app1:start app1:stop app2:start app2:stop " ] || problems+=("not one host at a time: $order")
  for host in app1 app2; do
    [ "$(fleet_podman "$host" inspect --format '{{.Image}}' "$(fleet_live "$host")")" = "$(image_id "$image_v2")" ] ||
      problems+=("$host does not run the new image")
  done
  start_fleet_load "$tmp/fleet-load-3.log" || problems+=("the load loop did not start for the rollback")
  fleet_playbook "$tmp/fleet-rollback.log" -e rollback=true || problems+=("the fleet's rollback failed")
  finish_load "$tmp/fleet-load-3.log" || problems+=("load during the rollback: $load_summary")
  for host in app1 app2; do
    [ "$(fleet_podman "$host" inspect --format '{{.Image}}' "$(fleet_live "$host")")" = "$(image_id "$image_v1")" ] ||
      problems+=("$host is not back on the first image")
  done
  if [ ${#problems[@]} -eq 0 ]; then
    report PASS rolling-release "($order; $(summary_field "$rolling_summary" requests) requests, 0 failed, $(summary_field "$rolling_summary" acknowledgedWrites) writes kept; rollback=true of both hosts under load, $(summary_field "$load_summary" requests) requests, 0 failed; $(took))"
  else
    show_log "$tmp/fleet-deploy-3.log" 30
    show_log "$tmp/fleet-rollback.log" 30
    report FAIL rolling-release "$(IFS=';' && echo "${problems[*]}")"
  fi
fi

# --- database-failover ---
begin
if ! $fleet_ok; then
  report FAIL database-failover "no fleet deployed"
elif ! old_primary=$(primary_node); then
  report FAIL database-failover "no primary before the failover"
elif ! start_fleet_load "$tmp/fleet-load-4.log" --unavailable-ok; then
  report FAIL database-failover "the load loop did not start"
else
  problems=()
  new_primary=db1
  [ "$old_primary" = db1 ] && new_primary=db2
  declare -A app_started=()
  for host in app1 app2; do app_started[$host]=$(fleet_podman "$host" inspect --format '{{.Id}} {{.State.StartedAt}}' "$(fleet_live "$host")"); done
  all_out_before=$(balancer_stat BACKEND chkdown) all_out_seconds_before=$(balancer_stat BACKEND downtime)
  patroni_api "$new_primary" sync >/dev/null || problems+=("$new_primary was not a synchronous standby before the failover")
  dir=$fleet/$old_primary
  # The primary's host is lost: Patroni, PostgreSQL and its etcd member killed at once.
  postmaster=$(head -n 1 "$dir/patroni/data/postmaster.pid")
  kill -KILL "$(cat "$dir/patroni/patroni.pid")" "$(cat "$dir/etcd/etcd.pid")" "$postmaster" $(pgrep -P "$postmaster") 2>/dev/null
  killed_at=$SECONDS
  wait_until 60 patroni_api "$new_primary" primary || problems+=("$new_primary never became the primary")
  promoted_after=$((SECONDS - killed_at))
  # A few seconds of load on the new primary: the writes must have resumed.
  sleep 5
  finish_load "$tmp/fleet-load-4.log" || problems+=("load: $load_summary")
  gap_ms=$(summary_field "$load_summary" longestWriteGapMs)
  # Every /readyz failed meanwhile: the balancer had no host and answered the 503s itself.
  [ "$(balancer_stat BACKEND chkdown)" -gt "${all_out_before:-0}" ] || problems+=("HAProxy never took every app host out")
  all_out_seconds=$(($(balancer_stat BACKEND downtime) - ${all_out_seconds_before:-0}))
  [ "${gap_ms:-99999}" -lt 30000 ] || problems+=("writes stopped for $gap_ms ms")
  for host in app1 app2; do
    [ "$(fleet_podman "$host" inspect --format '{{.Id}} {{.State.StartedAt}}' "$(fleet_live "$host")")" = "${app_started[$host]}" ] ||
      problems+=("the app on $host restarted")
  done
  # The old primary's host back: the playbook starts its services; it follows the new primary.
  fleet_playbook "$tmp/fleet-deploy-4.log" -e "image=$image_v1" || problems+=("the playbook could not bring $old_primary back")
  rejoined() { patroni_api "$new_primary" cluster | node -e '
    const members = JSON.parse(require("node:fs").readFileSync(0, "utf8")).members;
    const old = members.find((m) => m.name === process.argv[1]);
    const standby = ["sync_standby", "replica"].includes(old?.role) && ["running", "streaming"].includes(old?.state);
    process.exit(standby ? 0 : 1);' "$old_primary"; }
  wait_until 60 rejoined || problems+=("$old_primary did not rejoin as a standby: $(patroni_api "$new_primary" cluster)")
  # Backups go on as before: the daily script does it on the primary only.
  on_fleet "$old_primary" runuser -u postgres "$fleet/$old_primary/patroni/backup.sh" >"$tmp/db-backup.log" 2>&1 || problems+=("the backup script failed on the standby")
  on_fleet "$new_primary" runuser -u postgres "$fleet/$new_primary/patroni/backup.sh" >>"$tmp/db-backup.log" 2>&1 || problems+=("the backup script failed on the primary")
  ls "$fleet/$new_primary"/patroni/backups/superlists-*.backup >/dev/null 2>&1 || problems+=("no backup on the new primary: $(tail -n 3 "$tmp/db-backup.log")")
  ! ls "$fleet/$old_primary"/patroni/backups/superlists-*.backup >/dev/null 2>&1 || problems+=("the standby made a backup too")
  if [ ${#problems[@]} -eq 0 ]; then
    report PASS database-failover "($old_primary killed -> $new_primary primary in ${promoted_after} s; longest write gap $((gap_ms / 1000)) s; $(summary_field "$load_summary" requests) requests: $(summary_field "$load_summary" unavailable) 503 + Retry-After (the app's, and HAProxy's own for the ${all_out_seconds} s every app host was out), 0 failed, $(summary_field "$load_summary" acknowledgedWrites) acknowledged writes all present; apps not restarted; $old_primary back as a standby; backup on $new_primary; $(took))"
  else
    show_log "$fleet/$new_primary/patroni/patroni.log" 20
    report FAIL database-failover "$(IFS=';' && echo "${problems[*]}")"
  fi
fi
