import dev.parley.client.Listener;
import dev.parley.client.ParleyClient;
import jakarta.json.JsonObject;
import java.net.URI;

/**
 * A bot on the Java client library (docs/CLIENTS.md): a member of the room like any other,
 * that answers "!echo something" with "something", as a reply. The client reconnects,
 * recovers what it missed and sends each answer once by itself: the bot has no connection
 * logic. Run it with the client's jar and Jakarta JSON Processing, after mvn install:
 *
 *   java -cp 'client/target/parley-client-0.4.0.jar:standalone/target/lib/*' \
 *       docs/examples/ClientBot.java ws://localhost:8080/chat lobby
 */
public class ClientBot implements Listener {
    private ParleyClient client;

    public static void main(String[] args) throws Exception {
        ClientBot bot = new ClientBot();
        bot.client = ParleyClient.builder(URI.create(args[0])).room(args[1]).user("client-bot").listener(bot).build();
        JsonObject welcome = bot.client.connect().get();
        System.out.println("client-bot is in #" + welcome.getString("room") + " with " + welcome.getJsonArray("users"));
        Thread.currentThread().join();   // the client's own thread does the rest
    }

    @Override
    public void onMessage(JsonObject message) {
        String text = message.getString("text");
        if (text.startsWith("!echo ") && !message.getString("user").equals(client.user())) {
            client.reply(message.getJsonNumber("seq").longValue(), text.substring(6));
        }
    }
}
