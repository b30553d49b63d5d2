// Where goroot and versionsDir physically are, host side (facts). The controller refuses a system path or a
// volatile place (engine/check-goroot-safety.ts) from these: the inventory shows /usr/local/go, but a link
// /usr/local/go -> /lib64 physically is /usr/lib64, and /usr/local may be a tmpfs.
// Keys: goroot_phys goroot_fs goroot_go vdir_phys vdir_fs managed_previous_link.
// File system types come from /proc/mounts (Linux; read with builtins); empty elsewhere (macOS has no tmpfs
// under these paths by default). Mount points holding spaces (\040 in /proc/mounts) are not matched.

export const SH_PLACEMENT = `# --- placement --------------------------------------------------------------------
# gf_phys_path PATH: the physical path of PATH, existing or not: a directory (or a link to one) resolved by
# cd -P; a link to anything else resolved hop by hop; a missing path as its nearest existing ancestor's
# physical path plus the rest.
gf_phys_path() {
  if [ -d "$1" ]; then
    gf_phys "$1"
  elif [ -L "$1" ]; then
    gf_resolve "$1"
  else
    gf_nearest_set "$1"
    _pp_rest=\${1#"$NEAREST"}
    _pp_n=$(gf_phys "$NEAREST")
    [ -n "$_pp_n" ] || _pp_n=$NEAREST
    printf '%s%s\\n' "\${_pp_n%/}" "$_pp_rest"
  fi
}

# gf_fs_type PATH: the file system type of the mount holding the physical PATH (longest mount point that
# contains it; the later of two equal ones, as a mount over a mount hides the first), or nothing.
gf_fs_type() {
  [ -r /proc/mounts ] || return 0
  _ft_best=-1
  _ft_type=
  while read -r _ft_dev _ft_mnt _ft_t _ft_rest; do
    case $1 in
      "$_ft_mnt" | "\${_ft_mnt%/}"/*) ;;
      *) continue ;;
    esac
    if [ "\${#_ft_mnt}" -ge "$_ft_best" ]; then
      _ft_best=\${#_ft_mnt}
      _ft_type=$_ft_t
    fi
  done </proc/mounts
  printf '%s\\n' "$_ft_type"
}

gf_facts_placement() {
  _pl_g=$(gf_phys_path "$G_ROOT")
  gf_fact goroot_phys "$_pl_g"
  gf_fact goroot_fs "$(gf_fs_type "$_pl_g")"
  if [ -f "$G_ROOT/bin/go" ]; then gf_fact goroot_go 1; else gf_fact goroot_go 0; fi
  _pl_v=$(gf_phys_path "$VDIR")
  gf_fact vdir_phys "$_pl_v"
  gf_fact vdir_fs "$(gf_fs_type "$_pl_v")"
  gf_state_read previous_link
  gf_fact managed_previous_link "$STATE_VALUE"
}
`;
