import { connect, type Socket } from 'node:net';
import { eventually, type MailDev, startMailDev } from '../src/index.js';

/** One SMTP conversation by hand: what any mail client does, without depending on one. */
async function sendByHand(port: number, to: string, subject: string): Promise<void> {
  const socket: Socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let received = '';
  const replies: string[] = [];
  socket.on('data', (chunk: string) => {
    received += chunk;
    let end = received.indexOf('\r\n');
    while (end >= 0) {
      const line = received.slice(0, end);
      received = received.slice(end + 2);
      // The last line of a reply is "NNN text" (continuations are "NNN-text").
      if (/^\d{3} /.test(line)) replies.push(line);
      end = received.indexOf('\r\n');
    }
  });
  const reply = async (code: string) => {
    await eventually(() => replies.length > 0);
    const line = replies.shift() as string;
    if (!line.startsWith(code)) throw new Error(`expected ${code}, got ${line}`);
  };
  const say = async (line: string, code: string) => {
    socket.write(`${line}\r\n`);
    await reply(code);
  };
  try {
    await reply('220');
    await say('EHLO test.local', '250');
    await say('MAIL FROM:<sender@example.com>', '250');
    await say(`RCPT TO:<${to}>`, '250');
    await say('DATA', '354');
    await say(`From: sender@example.com\r\nTo: ${to}\r\nSubject: ${subject}\r\n\r\nHello.\r\n.`, '250');
    await say('QUIT', '221');
  } finally {
    socket.destroy();
  }
}

let maildev: MailDev;
beforeAll(async () => {
  maildev = await startMailDev();
});
afterAll(() => maildev.stop());

describe('startMailDev', () => {
  it('catches mail over SMTP on a free port and shows it through its REST API', async () => {
    expect(maildev.smtpUrl).toBe(`smtp://127.0.0.1:${maildev.smtpPort}`);
    await sendByHand(maildev.smtpPort, 'Someone@Example.com', 'First');
    await sendByHand(maildev.smtpPort, 'other@example.com', 'Second');
    await eventually(async () => (await maildev.messages()).length === 2);

    const mails = await maildev.messagesTo('someone@example.com');
    expect(mails).toEqual([
      expect.objectContaining({ subject: 'First', to: ['Someone@Example.com'], from: 'sender@example.com' }),
    ]);
    expect(mails[0]?.text.trim()).toBe('Hello.');

    await maildev.clear();
    expect(await maildev.messages()).toEqual([]);
  });

  it('runs several servers at once, each with its own inbox', async () => {
    const other = await startMailDev({ incomingUser: 'relay', incomingPass: 'secret' });
    try {
      expect(other.smtpPort).not.toBe(maildev.smtpPort);
      expect(other.smtpUrl).toBe(`smtp://relay:secret@127.0.0.1:${other.smtpPort}`);
      // This one requires authentication: an anonymous sender is refused before any mail is taken.
      await expect(sendByHand(other.smtpPort, 'x@example.com', 'Refused')).rejects.toThrow(/expected 250, got 530/);
      expect(await other.messages()).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});
