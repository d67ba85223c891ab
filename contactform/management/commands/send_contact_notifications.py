from helpcenter.management.commands.send_mail_outbox import Command as SendMailOutbox


class Command(SendMailOutbox):
    help = "Former name of `send_mail_outbox`, kept for existing cron jobs: " + SendMailOutbox.help
