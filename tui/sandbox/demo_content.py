"""The words of the demo account: email HTML, subjects, notes. Data only, no logic.

Some texts carry the realistic mistakes the validation panel should catch; each is marked
``# mistake:`` with what is wrong.
"""

from __future__ import annotations

# --- Q4 outbound, first email: three variants -------------------------------------------------

COLD_SUBJECT_A = "Quick question about {{Company}}'s pipeline"
COLD_HTML_A = """<p>Hi {{First Name|'there'}},</p>
<p>I noticed {{Company}} has been hiring SDRs across two regions this quarter. Teams at that stage
usually find that forecasting gets harder before it gets easier, mostly because
{{Pain Point}} is spread across three tools.</p>
<p>We help RevOps leaders pull that into one weekly view without another dashboard to maintain.
Would it be worth a 15-minute call next week to see if it fits how you run things?</p>
<p>Best,<br>Maya</p>"""

COLD_SUBJECT_B = "{spin}Idea|A thought|Question{endspin} for {{First Name}}"
COLD_HTML_B = """<p>{spin}Hi|Hey|Hello{endspin} {{First Name|'there'}},</p>
<p>Saw that {{Company}} just opened an office in {{City}}. Congratulations.</p>
<p>When teams expand like that, {{Pain Point}} tends to slip first. We built a small playbook from
40 RevOps teams who went through the same thing, and I'd be glad to send it over.</p>
<p>Worth a look?</p>
<p>Maya</p>"""

COLD_SUBJECT_C = "{{First Name}}, 3 things RevOps teams fix first"
COLD_HTML_C = """<p>Hi {{First Name|'there'}},</p>
<p>Most RevOps leaders we talk to at companies like {{Company}} say the same three things are
slowing them down:</p>
<ul>
  <li>Forecast calls that rely on spreadsheets pulled on Monday morning</li>
  <li>Handoffs between SDRs and AEs that lose context</li>
  <li>Reports nobody trusts because the CRM fields drifted</li>
</ul>
<p>If any of these sound familiar, I can show you how Brightline Analytics solved all three in
under a month.</p>
<table role="presentation" cellpadding="0" cellspacing="0" style="margin-top:16px">
  <tr>
    <td style="padding-right:12px"><img src="https://cdn.example.com/team/maya.png" alt="Maya Chen" width="48" height="48"></td>
    <td style="font-size:13px;color:#555">
      <strong>Maya Chen</strong><br>
      Account Executive, Northpeak<br>
      <a href="https://northpeak.example.com">northpeak.example.com</a> &middot; +1 415 555 0134
    </td>
  </tr>
</table>"""

# --- Q4 outbound, follow-up: an empty subject keeps it in the same thread ---------------------

FOLLOW_UP_HTML_A = """<p>Hi {{First Name|'there'}},</p>
<p>Bumping this up in case it got buried. Happy to send the playbook instead of a call if that
is easier.</p>
<p>Maya</p>"""

FOLLOW_UP_HTML_B = """<p>{{First Name|'Hi'}}, one more thought.</p>
<p>Teams like {{Company}} usually see the biggest win in the first two weeks, when the forecast
call moves from spreadsheets to one shared view. Want me to send a two-minute video instead?</p>
<p>Maya</p>"""

BREAKUP_SUBJECT = "Should I close your file?"
BREAKUP_HTML = """<p>Hi {{First Name|'there'}},</p>
<p>I haven't heard back, so I'll assume the timing isn't right. If {{Pain Point}} becomes a
priority later this year, just reply to this email and I'll pick it up from here.</p>
<p>All the best,<br>Maya</p>"""

# mistake: a LinkedIn note between 200 and 300 characters (cut at 200 on free accounts).
LINKEDIN_NOTE_LONG = (
    "Hi {{First Name}}, I've been following how {{Company}} is scaling its revenue team and really "
    "liked your recent post on forecast hygiene. I work with RevOps leaders on exactly that problem "
    "and would love to connect and swap notes on what is working for you this year."
)
LINKEDIN_NOTE_SHORT = "Hi {{First Name}}, enjoyed your talk at SaaStr. Would be great to connect."

# --- Acme Robotics (a client): a marketing email made of layout tables ----------------------

# mistake: a subject over 60 characters.
MARKETING_SUBJECT = "See how warehouse teams cut picking errors by 38% with Acme Vision in under 30 days"
MARKETING_PREHEADER = "A two-minute case study from a 120,000 sq ft fulfilment centre"
MARKETING_HTML = """<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f6f8">
  <tr>
    <td align="center" style="padding:24px 0">
      <table role="presentation" width="600" cellpadding="0" cellspacing="0" style="background:#ffffff">
        <tr>
          <td style="padding:24px"><img src="https://cdn.example.com/acme/logo.png" alt="Acme Robotics" width="140"></td>
        </tr>
        <tr>
          <td><img src="https://cdn.example.com/acme/hero-warehouse.jpg" width="600" height="240"></td>
        </tr>
        <tr>
          <td style="padding:24px;font-family:Arial,sans-serif;font-size:15px;line-height:22px;color:#222">
            <p>Hi {{First Name|'there'}},</p>
            <p>Picking errors cost the average distribution centre more than returns do. Acme Vision
            checks every pick against the order in real time, so mistakes are caught at the shelf,
            not at the customer's door.</p>
            <p>Harbor Freight Logistics cut picking errors by 38% in their first month, without
            changing their WMS.</p>
            <table role="presentation" cellpadding="0" cellspacing="0">
              <tr>
                <td style="background:#0a66c2;border-radius:4px;padding:12px 20px">
                  <a href="https://acme-robotics.example.com/case-study?utm_source=saleshandy" style="color:#ffffff;text-decoration:none">Read the case study</a>
                </td>
              </tr>
            </table>
          </td>
        </tr>
        <tr>
          <td style="padding:16px 24px;font-size:12px;color:#888">
            Acme Robotics, 500 Harbor Way, Oakland CA<br>
            Not the right person? <a href="{{link}}">Unsubscribe</a>
          </td>
        </tr>
      </table>
    </td>
  </tr>
</table>"""

ACME_SUBJECT_B = "{{First Name}}, fewer picking errors at {{Company}}?"
ACME_HTML_B = """<p>Hi {{First Name|'there'}},</p>
<p>Quick one: how does {{Company}} catch picking errors today, at the shelf or at returns?</p>
<p>We help warehouse managers catch them at the shelf with a camera over each pick station. Happy to
share what it did for a site your size.</p>
<p>Jordan<br>Acme Robotics</p>"""

# mistake: a URL shortener in the last email.
ACME_LAST_SUBJECT = "Case study, as promised"
ACME_LAST_HTML = """<p>Hi {{First Name|'there'}},</p>
<p>As promised, here is the two-page case study: <a href="https://bit.ly/acme-vision-cs">bit.ly/acme-vision-cs</a></p>
<p>Jordan</p>"""

ACME_LINKEDIN_MESSAGE = (
    "Thanks for connecting, {{First Name}}. I sent you a short case study by email about cutting "
    "picking errors at sites like {{Company}}'s. Happy to answer questions here if that's easier."
)
ACME_INMAIL_SUBJECT = "Picking accuracy at {{Company}}"
ACME_INMAIL_MESSAGE = (
    "Hi {{First Name}},\n\nI lead partnerships at Acme Robotics. We work with warehouse managers who "
    "want fewer picking errors without replacing their WMS. Would a 20-minute walkthrough be useful "
    "this month?\n\nJordan"
)

# --- Webinar invite (paused): one variant has a near-miss merge tag --------------------------

WEBINAR_SUBJECT_A = "Invite: the 2025 data leadership roundtable"
WEBINAR_HTML_A = """<p>Hi {{First Name|'there'}},</p>
<p>On 14 November we're hosting a 45-minute roundtable with data leaders from three Series B
companies on how they staffed their first analytics team.</p>
<p>Seats are capped at 30 so there's time for questions. Want me to save you one?</p>
<p>Priya, Northwind Analytics</p>"""

# mistake: {{Frist Name}} is a near miss of {{First Name}}.
WEBINAR_SUBJECT_B = "{{Frist Name}}, a seat at our data roundtable?"
WEBINAR_HTML_B = """<p>Hi {{Frist Name}},</p>
<p>We're hosting a small roundtable for data leaders on 14 November. I thought of you because
{{Company}} is hiring its first analytics engineers.</p>
<p>Interested?</p>
<p>Priya</p>"""

WEBINAR_SUBJECT_C = "Roundtable for {{Job Title|'data leaders'}}s at {{Company}}"
WEBINAR_HTML_C = """<p>{spin}Hi|Hello{endspin} {{First Name|'there'}},</p>
<p>Short invite: 45 minutes, three data leaders, no slides. 14 November at 11am ET.</p>
<p>Reply "yes" and I'll send the calendar hold.</p>
<p>Priya</p>"""

WEBINAR_REMINDER_SUBJECT = ""
WEBINAR_REMINDER_HTML = """<p>Hi {{First Name|'there'}}, the roundtable is tomorrow. Still a few seats left if you'd like one.</p>
<p>Priya</p>"""

WHATSAPP_MESSAGE = (
    "Hi {{First Name}}, it's Priya from Northwind. Sending the roundtable link here in case email is buried."
)

# --- Founders intro, re-engage, events, partners, hiring -------------------------------------

FOUNDERS_SUBJECT = "Intro from a fellow founder"
FOUNDERS_HTML = """<p>Hi {{First Name|'there'}},</p>
<p>I'm the founder of Northpeak. We both sold into finance teams before starting our own companies,
so I thought I'd reach out directly rather than through the sales team.</p>
<p>Would you be open to a 15-minute call to compare notes on pricing for mid-market?</p>
<p>Sam</p>"""

REENGAGE_SUBJECT = "Picking things back up, {{First Name}}?"
REENGAGE_HTML = """<p>Hi {{First Name|'there'}},</p>
<p>When we spoke in the spring, {{Company}} had just frozen new tools until the budget review.
We have since added the CRM sync you asked about.</p>
<p>Is it worth reopening the conversation?</p>
<p>Maya</p>"""

EVENT_SUBJECT_A = "Great meeting you at SaaStr"
EVENT_HTML_A = """<p>Hi {{First Name|'there'}},</p>
<p>Thanks for stopping by our booth at SaaStr. As promised, I've attached the deck we walked through.</p>
<p>Would Thursday or Friday work for a follow-up call?</p>
<p>Maya</p>"""
EVENT_SUBJECT_B = "The deck from SaaStr"
EVENT_HTML_B = """<p>{{First Name|'Hi'}}, here's the deck from our chat at SaaStr (attached).</p>
<p>Happy to walk {{Company}}'s team through it whenever suits.</p>
<p>Maya</p>"""
EVENT_SECOND_SUBJECT = "Two customer stories from {{Company}}'s space"
EVENT_SECOND_HTML = """<p>Hi {{First Name|'there'}},</p>
<p>Two teams similar to {{Company}} shared their numbers with us: one cut forecast prep from a day
to an hour, the other stopped losing deals in handoff. Want the short version?</p>
<p>Maya</p>"""

PARTNER_SUBJECT = "Partner programme: 20% recurring for agencies"
PARTNER_PREHEADER = "Co-selling, shared leads and a dedicated partner manager"
PARTNER_HTML = """<p>Hi {{First Name|'there'}},</p>
<p>We're opening our partner programme to a handful of agencies that run outbound for B2B SaaS.
Partners get 20% recurring revenue share, co-marketing and a dedicated partner manager.</p>
<p>Would {{Company}} want the details?</p>
<p>Alex, Northpeak Partnerships</p>"""

HIRING_SUBJECT = "Engineering hiring at {{Company}}"
HIRING_HTML = """<p>Hi {{First Name|'there'}},</p>
<p>Saw that {{Company}} has eight open engineering roles. We place senior backend engineers in
about three weeks, with a 90-day replacement guarantee.</p>
<p>Open to a quick chat about the hardest role to fill?</p>
<p>Alex</p>"""
HIRING_SECOND_SUBJECT = ""
HIRING_SECOND_HTML = """<p>Hi {{First Name|'there'}}, following up on the roles above. If it helps, I can share two anonymised profiles that match your backend opening.</p>
<p>Alex</p>"""
HIRING_LINKEDIN_MESSAGE = (
    "Hi {{First Name}}, I emailed about your backend openings. Two engineers we placed recently came "
    "from companies a lot like {{Company}}; happy to share their profiles if useful."
)

# --- task notes ---------------------------------------------------------------------------

TASK_VIEW_PROFILE = "View their profile before the follow-up so they see our name."
TASK_CALL_INTRO = (
    "Call {{First Name}} at {{Company}}. Mention the playbook from the first email. If voicemail, "
    "leave a 20-second message and log it."
)
TASK_CALL_DEMO = "Book the demo: confirm headcount per site and which WMS they use."
TASK_CALL_FOLLOW_UP = "Ask whether the pricing sheet reached the finance team."
TASK_CALL_REMINDER = "Remind them of the renewal date and the new CRM sync."
TASK_CALL_OTHER = "Check in with the champion; ask who else should join the next call."
TASK_POST_INTERACTION = "Like or comment on their latest post; keep it genuine."
TASK_WHATSAPP = "Only message prospects who opted in on the event form."
TASK_VOICE_NOTE = "Record a 30-second voice note: who we are and the roundtable date."
TASK_VOICE_CALL = "Call on WhatsApp only if they replied on WhatsApp before."
TASK_PARTNER = "Send the partner deck and book the intro call with the partner manager."
TASK_LINKEDIN = "Personalise the note with something from their recent posts."
TASK_EMPTY = ""  # mistake: a task with no instructions.
