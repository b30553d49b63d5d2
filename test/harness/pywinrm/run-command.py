# Runs one command on a WinRM host with pywinrm (Debian python3-winrm), as an independent client of the fake
# WinRM host: argv = endpoint, command line; stdin = the bytes to send to the command's stdin.
# Prints JSON: shell id, base64 stdout/stderr, exit code.
import base64
import json
import sys

import xmltodict
from winrm.protocol import Protocol

endpoint, command = sys.argv[1], sys.argv[2]
stdin = sys.stdin.buffer.read()
p = Protocol(endpoint=endpoint, transport='plaintext', username='deploy', password='not-checked',
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
