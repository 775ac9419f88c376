// The example backend the docs and compose.yaml use: an OpenIM-format backend on port 9000 that logs
// every callback it gets and answers "continue" — except that it refuses any friend request to `mallory`.
import { createServer } from 'node:http';

const CONTINUE = { actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 };
const port = Number(process.env.PORT ?? 9000);

createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    console.log(`${req.method} ${req.url} ${body.trim()}`);
    let parsed = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      // Logged as it came; answered like any other.
    }
    const refused = parsed.toUserID === 'mallory';
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(
        refused ? { ...CONTINUE, nextCode: 1, errCode: 20100, errMsg: 'mallory takes no requests' } : CONTINUE,
      ),
    );
  });
}).listen(port, () => console.log(`example backend on :${port}`));
