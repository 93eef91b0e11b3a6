# Sourced by .ci/staging-over-ssh.sh and tests/deploy/rehearsal.sh: a throw-away sshd
# on 127.0.0.1 standing in for a staging host. Needs root and /usr/sbin/sshd.

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# start_throwaway_sshd DIR KEY_NAME [SSHD_CONFIG_LINES] [ADDRESS]
# Starts sshd on a free port of ADDRESS (default 127.0.0.1; any 127.x.y.z stands for a host of its own) with a host key made now and already in DIR/known_hosts (so
# ssh really verifies it), letting root in with the key DIR/KEY_NAME only. The extra
# lines go at the end of its config. Sets ssh_port, sshd_pid and ssh_opts, for
# `ssh "${ssh_opts[@]}" root@127.0.0.1 COMMAND`; its log is DIR/sshd.log. Returns 1 if
# the config is refused; the caller waits until it answers.
start_throwaway_sshd() {
  local dir=$1 key=$1/$2 extra_config=${3:-} address=${4:-127.0.0.1}
  ssh_port=$(free_port)
  ssh-keygen -q -t ed25519 -N '' -C superlists-throwaway-host -f "$dir/ssh_host_ed25519_key"
  ssh-keygen -q -t ed25519 -N '' -C "superlists-$2" -f "$key"
  cp "$key.pub" "$dir/authorized_keys"
  printf '[%s]:%s %s\n' "$address" "$ssh_port" "$(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" >"$dir/known_hosts"
  cat >"$dir/sshd_config" <<EOF
Port $ssh_port
ListenAddress $address
HostKey $dir/ssh_host_ed25519_key
AuthorizedKeysFile $dir/authorized_keys
PidFile $dir/sshd.pid
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers root
StrictModes no
UsePAM no
X11Forwarding no
PrintMotd no
Subsystem sftp internal-sftp
$extra_config
EOF
  mkdir -p /run/sshd # sshd's privilege separation directory
  /usr/sbin/sshd -t -f "$dir/sshd_config" || return 1
  /usr/sbin/sshd -f "$dir/sshd_config" -D -e 2>"$dir/sshd.log" &
  sshd_pid=$!
  ssh_opts=(-n -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$dir/known_hosts"
    -i "$key" -p "$ssh_port")
}
