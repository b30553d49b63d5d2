# Runs one command on a WinRM host with pywinrm (Debian python3-winrm), as an independent client of the fake
# WinRM host. stdin: JSON {endpoint, command, stdin (base64: the command's stdin), transport ('plaintext' or
# 'ntlm'), username, password} (the password never on argv). Prints JSON: shell id, base64 stdout/stderr, exit code.
import base64
import json
import sys

import xmltodict
from winrm.protocol import Protocol

c = json.loads(sys.stdin.read())
command = c['command']
stdin = base64.b64decode(c['stdin'])
# message_encryption 'auto': sealed with NTLM over http, clear with plaintext (Basic)
p = Protocol(endpoint=c['endpoint'], transport=c['transport'], username=c['username'], password=c['password'],
             operation_timeout_sec=1, read_timeout_sec=5)
shell = p.open_shell(codepage=65001)
cmd = p.run_command(shell, command)
# pywinrm 0.3.0 has no send_command_input: its own header builder and transport, with the rsp:Send body
# that pywinrm >= 0.4 sends (winrm/protocol.py send_command_input)
req = {'env:Envelope': p._get_soap_header(
    resource_uri='http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd',
    action='http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send', shell_id=shell)}
stream = req['env:Envelope'].setdefault('env:Body', {}).setdefault('rsp:Send', {}).setdefault('rsp:Stream', {})
stream['@Name'] = 'stdin'
stream['@CommandId'] = cmd
stream['#text'] = base64.b64encode(stdin).decode('ascii')
stream['@End'] = 'true'
p.send_message(xmltodict.unparse(req))
out, err, code = p.get_command_output(shell, cmd)
p.cleanup_command(shell, cmd)
p.close_shell(shell)
print(json.dumps({'shell': shell, 'stdout': base64.b64encode(out).decode(), 'stderr': base64.b64encode(err).decode(), 'code': code}))
